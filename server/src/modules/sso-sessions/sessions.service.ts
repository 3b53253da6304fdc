import { encodeTime } from 'ulid';
import type { DataSource } from 'typeorm';
import { ID_PREFIXES } from '@portico/shared';
import { ValidationError } from '../../errors';
import { restrict, type AccessScope } from '../environments/access-scope';
import { getConnection } from '../connections/connections.service';
import { SsoSessionEntity } from './sso-session.entity';
import { SESSION_TIMEOUT_MS } from './sso-session.type';

export type SessionStatus = 'STARTED' | 'TIMED_OUT' | 'AUTHORIZED' | 'SUCCESSFUL' | 'FAILED';

export interface SessionFilter {
  /** STARTED means still waiting for the IdP (under 5 minutes); TIMED_OUT, started longer ago with no response. */
  statuses?: SessionStatus[];
  errors?: string[];
  /** Matches the start of the user's email, case-insensitively. */
  email?: string;
  from?: Date;
  to?: Date;
  /** Only sessions newer than this one (the dashboard polls with the newest it shows). */
  since?: string;
}

/** The smallest session ID of a millisecond: IDs are ULIDs, so a time range is an ID range on the primary key. */
export const idAt = (time: Date) => `${ID_PREFIXES.ssoSession}_${encodeTime(Math.max(0, time.getTime()), 10)}0000000000000000`;

/** Columns a list shows; the raw SAML (up to megabytes per row) is read only by the details page. */
export const LIST_COLUMNS = ['id', 'environmentId', 'organizationId', 'connectionId', 'origin', 'state', 'email', 'firstName', 'lastName', 'idpId', 'error', 'errorReason', 'errorMessage', 'spKeyFingerprint', 'idpCertificateFingerprint', 'provider', 'startedAt', 'authorizedAt', 'succeededAt', 'failedAt', 'createdAt', 'testSignIn'] as const;

/** A connection's sessions matching `filter`, for keyset pagination newest first. The connection must be in scope. */
export async function connectionSessionsQuery(db: DataSource, scope: AccessScope, connectionId: string, filter: SessionFilter = {}, now = new Date()) {
  await getConnection(db, scope, connectionId);
  const query = db.getRepository(SsoSessionEntity).createQueryBuilder('s')
    .select(LIST_COLUMNS.map((c) => `s.${c}`))
    .where('s.connection_id = :connectionId', { connectionId });
  applyFilter(query, filter, now);
  return query;
}

/**
 * An environment's sign-ins through OAuth providers (Google, Microsoft, GitHub, Apple), optionally one provider's,
 * matching `filter`, for keyset pagination newest first. Sessions of OIDC connections (connection set) are not here:
 * they are their connection's. tenancy: the environment must be in scope.
 */
export async function oauthSessionsQuery(db: DataSource, scope: AccessScope, environmentId: string, provider: string | null, filter: SessionFilter = {}, now = new Date()) {
  const query = restrict(db.getRepository(SsoSessionEntity).createQueryBuilder('s'), scope, 's')
    .select(LIST_COLUMNS.map((c) => `s.${c}`))
    .andWhere('s.environment_id = :environmentId AND s.provider IS NOT NULL AND s.connection_id IS NULL', { environmentId });
  if (provider) query.andWhere('s.provider = :provider', { provider });
  applyFilter(query, filter, now);
  return query;
}

/** One OAuth provider's session (no connection) with its raw exchange, in scope. */
export async function getOAuthSession(db: DataSource, scope: AccessScope, id: string): Promise<SsoSessionEntity | null> {
  return restrict(db.getRepository(SsoSessionEntity).createQueryBuilder('s').where('s.id = :id AND s.provider IS NOT NULL AND s.connection_id IS NULL', { id }), scope, 's').getOne();
}

function applyFilter(query: ReturnType<DataSource['createQueryBuilder']>, filter: SessionFilter, now: Date): void {
  if (filter.from && filter.to && filter.from > filter.to) throw ValidationError.field('filter.from', 'invalid_range', 'The start of the range is after its end.');
  if (filter.statuses?.length) {
    const timeout = new Date(now.getTime() - SESSION_TIMEOUT_MS);
    const clauses: string[] = [];
    const states = filter.statuses.filter((s) => s === 'AUTHORIZED' || s === 'SUCCESSFUL' || s === 'FAILED');
    if (states.length) clauses.push('s.state IN (:...states)');
    if (filter.statuses.includes('STARTED')) clauses.push(`(s.state = 'STARTED' AND s.started_at >= :timeout)`);
    if (filter.statuses.includes('TIMED_OUT')) clauses.push(`(s.state = 'STARTED' AND s.started_at < :timeout)`);
    query.andWhere(`(${clauses.join(' OR ')})`, { states, timeout });
  }
  if (filter.errors?.length) query.andWhere('s.error IN (:...errors)', { errors: filter.errors });
  const email = filter.email?.trim().toLowerCase();
  if (email) query.andWhere(`lower(s.email) LIKE :email ESCAPE '\\'`, { email: `${email.replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
  if (filter.from) query.andWhere('s.id >= :fromId', { fromId: idAt(filter.from) });
  if (filter.to) query.andWhere('s.id < :toId', { toId: idAt(new Date(filter.to.getTime() + 1)) });
  if (filter.since) query.andWhere('s.id > :since', { since: filter.since });
}

/** One session with its raw SAML, in scope. */
export async function getSession(db: DataSource, scope: AccessScope, id: string): Promise<SsoSessionEntity | null> {
  return restrict(db.getRepository(SsoSessionEntity).createQueryBuilder('s').where('s.id = :id', { id }), scope, 's').getOne();
}

/**
 * Retention: the raw SAML request and response (and an encrypted sign-in's decrypted assertion), and an OAuth/OIDC
 * attempt's raw exchange (it holds the user's claims), are dropped once
 * older than `days`; the session row stays. Works
 * in batches by ID (which encodes the time), so a large backlog never holds long locks.
 */
export async function purgeRawSaml(db: DataSource, days: number, now = new Date(), batch = 5000): Promise<number> {
  const before = idAt(new Date(now.getTime() - days * 86_400_000));
  let purged = 0;
  for (;;) {
    const [, count] = (await db.query(
      `UPDATE sso_sessions SET saml_request = NULL, saml_response = NULL, decrypted_assertion = NULL, oauth_exchange = NULL
        WHERE id IN (SELECT id FROM sso_sessions WHERE id < $1 AND (saml_request IS NOT NULL OR saml_response IS NOT NULL OR decrypted_assertion IS NOT NULL OR oauth_exchange IS NOT NULL) LIMIT $2)`,
      [before, batch],
    )) as [unknown, number];
    purged += count;
    if (count < batch) return purged;
  }
}
