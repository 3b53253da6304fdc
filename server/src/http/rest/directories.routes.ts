import express from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../context';
import { OrganizationDomainEntity } from '../../modules/organizations/organization.entity';
import {
  deleteDirectory, directoriesQuery, directoryGroupsQuery, directoryUsersQuery, getDirectory, getDirectoryGroup, getDirectoryUser, groupsOfUsers,
} from '../../modules/directories/directories.service';
import { presentDirectory, presentDirectoryGroup, presentDirectoryUser } from '../../modules/directories/directory-presenters';
import type { DirectoryEntity } from '../../modules/directories/directory.entity';
import { listEvents } from '../../modules/events/events.service';
import { In } from 'typeorm';
import { listPage, listParams, listValue, parseQuery } from './list';
import { principalOf, route, scopeOfRequest } from './rest-router';

const one = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

/** `/directories`, `/directory_users`, `/directory_groups` (contract §4) and `/events` (§5.2). */
export function directoryRoutes(deps: AppDeps) {
  const { db } = deps;

  /** Each directory's domain: its organization's first domain. */
  async function presentDirectories(directories: DirectoryEntity[]) {
    const orgIds = [...new Set(directories.map((d) => d.organizationId))];
    const domains = orgIds.length ? await db.getRepository(OrganizationDomainEntity).find({ where: { organizationId: In(orgIds) }, order: { id: 'ASC' } }) : [];
    return directories.map((d) => presentDirectory(d, domains.find((x) => x.organizationId === d.organizationId)?.domain ?? null));
  }

  const directories = express.Router();
  directories.get('/', route(async (req, res) => {
    const params = parseQuery(listParams, req.query);
    const page = await listPage(directoriesQuery(db, scopeOfRequest(res), { organizationId: one(req.query.organization_id), search: one(req.query.search) }), params, (d) => d);
    res.json({ ...page, data: await presentDirectories(page.data) });
  }));
  directories.get('/:id', route(async (req, res) => {
    res.json((await presentDirectories([await getDirectory(db, scopeOfRequest(res), String(req.params.id))]))[0]);
  }));
  directories.delete('/:id', route(async (req, res) => {
    await deleteDirectory(db, scopeOfRequest(res), String(req.params.id));
    res.status(204).end();
  }));

  const users = express.Router();
  users.get('/', route(async (req, res) => {
    const params = parseQuery(listParams, req.query);
    const page = await listPage(directoryUsersQuery(db, scopeOfRequest(res), { directoryId: one(req.query.directory), groupId: one(req.query.group) }), params, (u) => u);
    const groups = await groupsOfUsers(db, page.data.map((u) => u.id));
    res.json({ ...page, data: page.data.map((u) => presentDirectoryUser(u, groups.get(u.id) ?? [])) });
  }));
  users.get('/:id', route(async (req, res) => {
    const user = await getDirectoryUser(db, scopeOfRequest(res), String(req.params.id));
    res.json(presentDirectoryUser(user, (await groupsOfUsers(db, [user.id])).get(user.id) ?? []));
  }));

  const groups = express.Router();
  groups.get('/', route(async (req, res) => {
    const params = parseQuery(listParams, req.query);
    const page = await listPage(directoryGroupsQuery(db, scopeOfRequest(res), { directoryId: one(req.query.directory), userId: one(req.query.user) }), params, presentDirectoryGroup);
    res.json(page);
  }));
  groups.get('/:id', route(async (req, res) => {
    res.json(presentDirectoryGroup(await getDirectoryGroup(db, scopeOfRequest(res), String(req.params.id))));
  }));

  const eventsQuery = z.object({
    limit: listParams.shape.limit,
    order: listParams.shape.order,
    after: z.string().optional(),
    range_start: z.coerce.date({ message: 'range_start must be an ISO 8601 time' }).optional(),
    range_end: z.coerce.date({ message: 'range_end must be an ISO 8601 time' }).optional(),
    organization_id: z.string().optional(),
  });
  const events = express.Router();
  events.get('/', route(async (req, res) => {
    const q = parseQuery(eventsQuery, req.query);
    res.json(await listEvents(db, principalOf(res).environmentId, {
      events: listValue(req.query.events) ?? [], organizationId: q.organization_id, rangeStart: q.range_start, rangeEnd: q.range_end, after: q.after, limit: q.limit, order: q.order,
    }));
  }));

  return { directories, users, groups, events };
}
