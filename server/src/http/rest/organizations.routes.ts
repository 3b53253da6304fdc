import express from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../context';
import {
  addOrganizationDomain, createOrganization, deleteOrganization, getOrganization, getOrganizationByExternalId, getOrganizationDomain,
  organizationsQuery, removeOrganizationDomain, updateOrganization, verifyOrganizationDomain, type OrganizationInput,
} from '../../modules/organizations/organizations.service';
import { listPage, listParams, listValue, parseQuery, parseWith } from './list';
import { presentOrganization, presentOrganizationDomain } from './presenters';
import { principalOf, route, scopeOfRequest } from './rest-router';

const domainData = z.array(z.object({ domain: z.string({ message: 'domain must be a string' }), state: z.enum(['pending', 'verified'], { message: 'state must be "pending" or "verified"' }) }), {
  message: 'domain_data must be an array of {domain, state}',
});
const organizationBody = z.object({
  name: z.string({ message: 'name must be a string' }),
  domain_data: domainData.optional(),
  domains: z.array(z.string()).optional(), // the older API shape
  external_id: z.string().nullable().optional(),
  metadata: z.record(z.string(), z.string().nullable(), { message: 'metadata must be an object of strings' }).optional(),
  allow_profiles_outside_organization: z.boolean().optional(),
  stripe_customer_id: z.string().nullable().optional(),
});

function toInput(body: Partial<z.infer<typeof organizationBody>>): OrganizationInput {
  return {
    name: body.name,
    domains: body.domain_data ?? body.domains?.map((domain) => ({ domain, state: 'verified' as const })),
    externalId: body.external_id,
    metadata: body.metadata,
    allowProfilesOutsideOrganization: body.allow_profiles_outside_organization,
    stripeCustomerId: body.stripe_customer_id,
  };
}

/** `/organizations` and `/organization_domains` (contract §3). */
export function organizationRoutes(deps: AppDeps) {
  const { db } = deps;
  const router = express.Router();

  router.get('/', route(async (req, res) => {
    const params = parseQuery(listParams, req.query);
    const query = organizationsQuery(db, scopeOfRequest(res), { domains: listValue(req.query.domains) }).leftJoinAndSelect('org.domains', 'domain');
    // Rows come with their domains; the page is cut by organization, so fetch the page's IDs first.
    const page = await listPage(organizationsQuery(db, scopeOfRequest(res), { domains: listValue(req.query.domains) }), params, (org) => org.id);
    const rows = page.data.length ? await query.andWhere('org.id IN (:...ids)', { ids: page.data }).orderBy('domain.id', 'ASC').getMany() : [];
    const byId = new Map(rows.map((org) => [org.id, org]));
    res.json({ ...page, data: page.data.map((id) => presentOrganization(byId.get(id)!)) });
  }));

  router.post('/', route(async (req, res) => {
    const body = parseWith(organizationBody, req.body);
    const org = await createOrganization(db, scopeOfRequest(res), principalOf(res).environmentId, toInput(body));
    res.status(201).json(presentOrganization(org));
  }));

  router.get('/external_id/:external_id', route(async (req, res) => {
    res.json(presentOrganization(await getOrganizationByExternalId(db, scopeOfRequest(res), String(req.params.external_id))));
  }));

  router.get('/:id', route(async (req, res) => {
    res.json(presentOrganization(await getOrganization(db, scopeOfRequest(res), String(req.params.id))));
  }));

  router.put('/:id', route(async (req, res) => {
    const body = parseWith(organizationBody.partial(), req.body ?? {});
    res.json(presentOrganization(await updateOrganization(db, scopeOfRequest(res), String(req.params.id), toInput(body))));
  }));

  router.delete('/:id', route(async (req, res) => {
    await deleteOrganization(db, scopeOfRequest(res), String(req.params.id));
    res.status(204).end();
  }));

  const domains = express.Router();
  domains.post('/', route(async (req, res) => {
    const body = parseWith(z.object({ domain: z.string({ message: 'domain is required' }), organization_id: z.string({ message: 'organization_id is required' }) }), req.body);
    res.status(201).json(presentOrganizationDomain(await addOrganizationDomain(db, scopeOfRequest(res), body.organization_id, body.domain, 'pending')));
  }));
  domains.get('/:id', route(async (req, res) => {
    res.json(presentOrganizationDomain(await getOrganizationDomain(db, scopeOfRequest(res), String(req.params.id))));
  }));
  domains.post('/:id/verify', route(async (req, res) => {
    res.json(presentOrganizationDomain(await verifyOrganizationDomain(db, scopeOfRequest(res), String(req.params.id))));
  }));
  domains.delete('/:id', route(async (req, res) => {
    await removeOrganizationDomain(db, scopeOfRequest(res), String(req.params.id));
    res.status(204).end();
  }));

  return Object.assign(router, { domains });
}
