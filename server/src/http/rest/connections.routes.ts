import express from 'express';
import { In } from 'typeorm';
import type { AppDeps } from '../../context';
import { connectionsQuery, deleteConnection, getConnection } from '../../modules/connections/connections.service';
import type { SsoConnectionEntity } from '../../modules/connections/connection.entity';
import { OrganizationDomainEntity } from '../../modules/organizations/organization.entity';
import { listPage, listParams, parseQuery } from './list';
import { presentConnection } from './presenters';
import { route, scopeOfRequest } from './rest-router';

/** `/connections` (contract §2.5): list, get, delete. Connections are created in the dashboard. */
export function connectionRoutes(deps: AppDeps) {
  const { db } = deps;
  const router = express.Router();

  /** One query for the domains of every organization on the page. */
  async function present(connections: SsoConnectionEntity[]) {
    const orgIds = [...new Set(connections.map((c) => c.organizationId))];
    const domains = orgIds.length ? await db.getRepository(OrganizationDomainEntity).find({ where: { organizationId: In(orgIds) }, order: { id: 'ASC' } }) : [];
    return connections.map((c) => presentConnection(c, domains.filter((d) => d.organizationId === c.organizationId)));
  }

  router.get('/', route(async (req, res) => {
    const params = parseQuery(listParams, req.query);
    const one = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    const query = connectionsQuery(db, scopeOfRequest(res), {
      organizationId: one(req.query.organization_id), connectionType: one(req.query.connection_type), domain: one(req.query.domain),
    });
    const page = await listPage(query, params, (row) => row);
    res.json({ ...page, data: await present(page.data) });
  }));

  router.get('/:id', route(async (req, res) => {
    const [connection] = await present([await getConnection(db, scopeOfRequest(res), String(req.params.id))]);
    res.json(connection);
  }));

  router.delete('/:id', route(async (req, res) => {
    await deleteConnection(db, scopeOfRequest(res), String(req.params.id));
    res.status(204).end();
  }));

  return router;
}
