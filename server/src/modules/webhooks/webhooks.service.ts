import { randomBytes } from 'node:crypto';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { unknownWebhookEvents, webhookUrlProblems, type EnvironmentKind, type FieldError } from '@portico/shared';
import { NotFoundError, ValidationError } from '../../errors';
import { newId } from '../../lib/ids';
import type { SecretBox } from '../../lib/secret-box';
import { environmentInScope, restrict, type AccessScope } from '../environments/access-scope';
import type { EventEntity } from '../events/event.entity';
import { enqueueInTransaction } from '../jobs/job-queue';
import { WebhookEndpointEntity, type WebhookEndpointStatus } from './webhook-endpoint.entity';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';

export interface WebhookDeps {
  db: DataSource;
  secrets: SecretBox;
}

export interface WebhookEndpointInput {
  endpointUrl?: string;
  events?: string[];
  status?: WebhookEndpointStatus;
}

export const secretContext = (endpointId: string) => `webhook_endpoint:${endpointId}:secret`;

/**
 * Retries after a failed attempt: 6 attempts in all, pg-boss's exponential backoff with jitter (delay·2ⁿ·(1…2)).
 * Production spreads them over about 3 days (the first retry after 1.5–3 h); Staging over a few minutes.
 */
export const RETRY_POLICY: Record<EnvironmentKind, { retryLimit: number; retryDelay: number; retryBackoff: true }> = {
  PRODUCTION: { retryLimit: 5, retryDelay: 5600, retryBackoff: true },
  STAGING: { retryLimit: 5, retryDelay: 4, retryBackoff: true },
};

function checkInput(input: WebhookEndpointInput, kind: EnvironmentKind, creating: boolean): FieldError[] {
  const problems: FieldError[] = [];
  if (input.endpointUrl !== undefined || creating) problems.push(...webhookUrlProblems(input.endpointUrl ?? '', kind));
  if (input.events !== undefined || creating) {
    const events = input.events ?? [];
    if (!Array.isArray(events) || events.some((e) => typeof e !== 'string')) problems.push({ field: 'events', code: 'invalid_events', message: 'Pass a list of event names.' });
    else if (!events.length) problems.push({ field: 'events', code: 'required', message: 'Choose at least one event to send.' });
    else if (unknownWebhookEvents(events).length) problems.push({ field: 'events', code: 'unknown_event', message: `Unknown event: ${unknownWebhookEvents(events).slice(0, 3).join(', ')}.` });
  }
  if (input.status !== undefined && input.status !== 'enabled' && input.status !== 'disabled') problems.push({ field: 'status', code: 'invalid_status', message: 'Use "enabled" or "disabled".' });
  return problems;
}

const newSecret = () => randomBytes(24).toString('base64url');

/**
 * Endpoints per environment. Every event becomes one delivery per subscribed endpoint, in the change's transaction and
 * in the job queue all environments share: without a bound, one environment's endpoints would multiply each of its
 * events (a SCIM sync, a sign-in) into as many POSTs as it likes, slowing its own writes and everyone's deliveries.
 */
export const MAX_WEBHOOK_ENDPOINTS = 20;

export function endpointsQuery(db: DataSource | EntityManager, scope: AccessScope, environmentId?: string) {
  const query = restrict(db.getRepository(WebhookEndpointEntity).createQueryBuilder('we'), scope, 'we');
  if (environmentId) query.andWhere('we.environment_id = :environmentId', { environmentId });
  return query.orderBy('we.id', 'ASC');
}

export async function getWebhookEndpoint(db: DataSource | EntityManager, scope: AccessScope, id: string): Promise<WebhookEndpointEntity> {
  // tenancy: restrict() keeps the endpoint to the caller's environment or workspace
  const endpoint = await endpointsQuery(db, scope).andWhere('we.id = :id', { id }).getOne();
  if (!endpoint) throw new NotFoundError('Webhook endpoint');
  return endpoint;
}

/** A new endpoint; the secret is returned this once (and sealed at rest, since every delivery signs with it). */
export async function createWebhookEndpoint(deps: WebhookDeps, scope: AccessScope, environmentId: string, input: WebhookEndpointInput): Promise<{ endpoint: WebhookEndpointEntity; secret: string }> {
  const environment = await environmentInScope(deps, scope, environmentId);
  const problems = checkInput(input, environment.kind, true);
  if (problems.length) throw new ValidationError(problems);
  const id = newId('webhookEndpoint');
  const secret = newSecret();
  await deps.db.transaction(async (manager) => {
    // The environment's row is the lock: two creations at once can't both see room for one more.
    await manager.query('SELECT id FROM environments WHERE id = $1 FOR UPDATE', [environment.id]);
    const [{ n }] = await manager.query('SELECT count(*)::int AS n FROM webhook_endpoints WHERE environment_id = $1', [environment.id]);
    if (n >= MAX_WEBHOOK_ENDPOINTS) {
      throw ValidationError.field('endpointUrl', 'endpoint_limit', `An environment has at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints; delete one before adding another.`);
    }
    await manager.getRepository(WebhookEndpointEntity).insert({
      id, environmentId: environment.id, endpointUrl: input.endpointUrl!.trim(), secretSealed: deps.secrets.seal(secret, secretContext(id)),
      status: input.status ?? 'enabled', events: [...new Set(input.events!)], failingSince: null,
    });
  });
  return { endpoint: await getWebhookEndpoint(deps.db, scope, id), secret };
}

export async function updateWebhookEndpoint(deps: WebhookDeps, scope: AccessScope, id: string, input: WebhookEndpointInput): Promise<WebhookEndpointEntity> {
  const current = await getWebhookEndpoint(deps.db, scope, id);
  const environment = await environmentInScope(deps, scope, current.environmentId);
  const problems = checkInput(input, environment.kind, false);
  if (problems.length) throw new ValidationError(problems);
  const patch: Partial<WebhookEndpointEntity> = { updatedAt: new Date() };
  if (input.endpointUrl !== undefined) patch.endpointUrl = input.endpointUrl.trim();
  if (input.events !== undefined) patch.events = [...new Set(input.events)];
  if (input.status !== undefined) patch.status = input.status;
  // A URL fixed or an endpoint turned back on starts with a clean slate.
  if (patch.endpointUrl !== undefined || input.status === 'enabled') patch.failingSince = null;
  await deps.db.getRepository(WebhookEndpointEntity).update({ id: current.id }, patch);
  return getWebhookEndpoint(deps.db, scope, id);
}

export async function rotateWebhookSecret(deps: WebhookDeps, scope: AccessScope, id: string): Promise<{ endpoint: WebhookEndpointEntity; secret: string }> {
  const current = await getWebhookEndpoint(deps.db, scope, id);
  const secret = newSecret();
  await deps.db.getRepository(WebhookEndpointEntity).update({ id: current.id }, { secretSealed: deps.secrets.seal(secret, secretContext(current.id)), updatedAt: new Date() });
  return { endpoint: await getWebhookEndpoint(deps.db, scope, id), secret };
}

export async function deleteWebhookEndpoint(db: DataSource, scope: AccessScope, id: string): Promise<WebhookEndpointEntity> {
  const current = await getWebhookEndpoint(db, scope, id);
  await db.getRepository(WebhookEndpointEntity).delete({ id: current.id });
  return current;
}

/**
 * Called by recordEvents in the events' transaction: a delivery row and its job for every enabled endpoint of the
 * event's environment that subscribes to it. Both commit with the event or not at all.
 */
export async function queueWebhookDeliveries(manager: EntityManager, events: EventEntity[]): Promise<void> {
  const environmentIds = [...new Set(events.map((e) => e.environmentId))];
  const endpoints: Array<{ id: string; environment_id: string; events: string[]; kind: EnvironmentKind }> = await manager.query(
    `SELECT we.id, we.environment_id, we.events, env.kind FROM webhook_endpoints we JOIN environments env ON env.id = we.environment_id
     WHERE we.environment_id = ANY($1) AND we.status = 'enabled'`,
    [environmentIds],
  );
  if (!endpoints.length) return;
  const deliveries: Array<{ row: Partial<WebhookDeliveryEntity>; kind: EnvironmentKind }> = [];
  for (const event of events) {
    for (const endpoint of endpoints) {
      if (endpoint.environment_id !== event.environmentId || !endpoint.events.includes(event.event)) continue;
      deliveries.push({ row: { id: newId('webhookDelivery'), endpointId: endpoint.id, eventId: event.id, status: 'pending', attempts: 0 }, kind: endpoint.kind });
    }
  }
  await insertDeliveries(manager, deliveries);
}

async function insertDeliveries(manager: EntityManager, deliveries: Array<{ row: Partial<WebhookDeliveryEntity>; kind: EnvironmentKind }>): Promise<void> {
  if (!deliveries.length) return;
  await manager.getRepository(WebhookDeliveryEntity).insert(deliveries.map((d) => d.row));
  await enqueueInTransaction(manager, 'webhook-delivery', deliveries.map((d) => ({ data: { deliveryId: d.row.id }, options: RETRY_POLICY[d.kind] })));
}

/** "Resend": a new delivery of the same event (same event ID, so receivers can deduplicate) to one endpoint. */
export async function resendWebhookEvent(db: DataSource, scope: AccessScope, endpointId: string, eventId: string): Promise<WebhookDeliveryEntity> {
  const endpoint = await getWebhookEndpoint(db, scope, endpointId);
  const environment = await environmentInScope({ db }, scope, endpoint.environmentId);
  // tenancy: the event must belong to the endpoint's environment
  const [event] = await db.query('SELECT id FROM events WHERE id = $1 AND environment_id = $2', [eventId, endpoint.environmentId]);
  if (!event) throw new NotFoundError('Event');
  const row = { id: newId('webhookDelivery'), endpointId: endpoint.id, eventId, status: 'pending' as const, attempts: 0 };
  await db.transaction((manager) => insertDeliveries(manager, [{ row, kind: environment.kind }]));
  return db.getRepository(WebhookDeliveryEntity).findOneByOrFail({ id: row.id });
}

export async function deliveriesOf(db: DataSource, endpointIds: string[]): Promise<WebhookDeliveryEntity[]> {
  return db.getRepository(WebhookDeliveryEntity).find({ where: { endpointId: In(endpointIds) }, order: { id: 'DESC' } });
}

/**
 * "Send test event": a `webhook.test` event, recorded like any other (so the delivery log shows it and Resend works)
 * but delivered to this endpoint only, whatever it subscribes to.
 */
export async function sendTestWebhookEvent(db: DataSource, scope: AccessScope, endpointId: string): Promise<WebhookDeliveryEntity> {
  const endpoint = await getWebhookEndpoint(db, scope, endpointId);
  const environment = await environmentInScope({ db }, scope, endpoint.environmentId);
  const eventId = newId('event');
  const row = { id: newId('webhookDelivery'), endpointId: endpoint.id, eventId, status: 'pending' as const, attempts: 0 };
  await db.transaction(async (manager) => {
    await manager.query('INSERT INTO events (id, environment_id, organization_id, event, data) VALUES ($1, $2, NULL, $3, $4)', [
      eventId, endpoint.environmentId, 'webhook.test', JSON.stringify({ object: 'webhook_endpoint', id: endpoint.id, message: 'A test event sent from the Portico dashboard.' }),
    ]);
    await insertDeliveries(manager, [{ row, kind: environment.kind }]);
  });
  return db.getRepository(WebhookDeliveryEntity).findOneByOrFail({ id: row.id });
}
