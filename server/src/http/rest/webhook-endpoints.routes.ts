import express from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../context';
import type { WebhookEndpointEntity } from '../../modules/webhooks/webhook-endpoint.entity';
import { createWebhookEndpoint, deleteWebhookEndpoint, endpointsQuery, getWebhookEndpoint, updateWebhookEndpoint } from '../../modules/webhooks/webhooks.service';
import { listPage, listParams, parseQuery, parseWith } from './list';
import { principalOf, route, scopeOfRequest } from './rest-router';

/** The endpoint as the SDK reads it (contract §5.3); the secret only in the answer that created it. */
export function presentWebhookEndpoint(e: WebhookEndpointEntity, secret?: string) {
  return {
    object: 'webhook_endpoint' as const,
    id: e.id,
    endpoint_url: e.endpointUrl,
    ...(secret ? { secret } : {}),
    status: e.status,
    events: e.events,
    created_at: e.createdAt.toISOString(),
    updated_at: e.updatedAt.toISOString(),
  };
}

const events = z.array(z.string({ message: 'each event must be a string' }), { message: 'events must be a list of event names' });
const createBody = z.object({ endpoint_url: z.string({ message: 'endpoint_url must be a string' }), events });
const updateBody = z.object({
  endpoint_url: z.string({ message: 'endpoint_url must be a string' }).optional(),
  events: events.optional(),
  status: z.enum(['enabled', 'disabled'], { message: 'status must be "enabled" or "disabled"' }).optional(),
});

/** `/webhook_endpoints` (contract §5.3): list, create, update, delete, in the API key's environment. */
export function webhookEndpointRoutes(deps: AppDeps) {
  const router = express.Router();

  router.get('/', route(async (req, res) => {
    const params = parseQuery(listParams, req.query);
    res.json(await listPage(endpointsQuery(deps.db, scopeOfRequest(res)), params, (e) => presentWebhookEndpoint(e)));
  }));

  router.post('/', route(async (req, res) => {
    const body = parseWith(createBody, req.body);
    const { endpoint, secret } = await createWebhookEndpoint(deps, scopeOfRequest(res), principalOf(res).environmentId, { endpointUrl: body.endpoint_url, events: body.events });
    res.status(201).json(presentWebhookEndpoint(endpoint, secret));
  }));

  router.get('/:id', route(async (req, res) => {
    res.json(presentWebhookEndpoint(await getWebhookEndpoint(deps.db, scopeOfRequest(res), String(req.params.id))));
  }));

  router.patch('/:id', route(async (req, res) => {
    const body = parseWith(updateBody, req.body);
    const endpoint = await updateWebhookEndpoint(deps, scopeOfRequest(res), String(req.params.id), { endpointUrl: body.endpoint_url, events: body.events, status: body.status });
    res.json(presentWebhookEndpoint(endpoint));
  }));

  router.delete('/:id', route(async (req, res) => {
    await deleteWebhookEndpoint(deps.db, scopeOfRequest(res), String(req.params.id));
    res.status(204).end();
  }));

  return router;
}
