import type { DataSource, EntityManager } from 'typeorm';
import { preparedQuery } from '../../db/prepared';
import { eventFollowedSql } from '../events/events.service';
import type { AttributeMapping } from '../../auth/saml';
import type { ConnectionState } from '../connections/connection.entity';
import type { SsoSessionEntity } from './sso-session.entity';

/**
 * The ACS hot path's database access, in as few round trips as the flow allows: one read for everything a
 * response is checked against, one statement for a successful sign-in. (Measured by `npm run bench:acs`.)
 */

export interface AcsContext {
  id: string;
  environmentId: string;
  /** STAGING or PRODUCTION: the bounded label sign-in metrics carry. */
  environmentKind: string;
  organizationId: string;
  connectionType: string;
  state: ConnectionState;
  idpEntityId: string | null;
  idpCertificates: string[];
  attributeMapping: AttributeMapping;
  spPrivateKeyEncrypted: string | null;
  spCertificate: string | null;
  /** The SP key pair of a rollover: tried for decryption after the current one. */
  spNextCertificate: string | null;
  spNextPrivateKeyEncrypted: string | null;
  acceptUnencryptedAssertions: boolean;
  requireSignedAssertions: boolean;
  idpInitiatedEnabled: boolean;
  allowProfilesOutsideOrganization: boolean;
  clientId: string;
  /** The organization's domains that have not failed verification: the allowlist. */
  domains: string[];
  redirectUris: { uri: string; isDefault: boolean }[];
  /** An enabled webhook endpoint of the environment wants authentication.sso_succeeded (then a sign-in runs in a transaction). */
  succeededFollowed: boolean;
  /** The fingerprint of the rows this context was read from (CONTEXT_VERSION): a cached context is used only while it holds. */
  version: string;
}

/**
 * Which versions of the rows a context is read from: the connection, its organization and environment (each row's
 * xmin changes with every update), and the organization's domains and the environment's redirect URIs (each row's
 * ID and xmin: an insert, an update or a delete changes the list). Webhook subscriptions are not in it: the sign-in's
 * statement reads them itself. Over `c`, `o` and `e` joined as in loadAcsContext.
 */
const CONTEXT_VERSION = `md5(concat_ws('|', c.xmin::text, o.xmin::text, e.xmin::text,
            (SELECT string_agg(d.id || ':' || d.xmin::text, ',' ORDER BY d.id) FROM organization_domains d WHERE d.organization_id = c.organization_id),
            (SELECT string_agg(r.id || ':' || r.xmin::text, ',' ORDER BY r.id) FROM redirect_uris r WHERE r.environment_id = c.environment_id)))`;
const CONTEXT_ROWS = `connections c
       JOIN organizations o ON o.id = c.organization_id
       JOIN environments e ON e.id = c.environment_id`;

/** The connection's context version now; null when the connection is gone. */
export async function currentContextVersion(db: DataSource, connectionId: string): Promise<string | null> {
  const [row] = await preparedQuery<{ version: string }>(db, `SELECT ${CONTEXT_VERSION} AS version FROM ${CONTEXT_ROWS} WHERE c.id = $1`, [connectionId]);
  return row?.version ?? null;
}

/** The connection with its organization's policy, the environment's client ID and redirect URIs; null when unknown. */
export async function loadAcsContext(db: DataSource, connectionId: string): Promise<AcsContext | null> {
  const [row] = await preparedQuery<Record<string, never>>(db,
    `SELECT c.id, c.environment_id, c.organization_id, c.connection_type, c.state, c.idp_entity_id, c.idp_certificates, c.attribute_mapping,
            c.sp_private_key_encrypted, c.sp_certificate, c.sp_next_certificate, c.sp_next_private_key_encrypted, c.accept_unencrypted_assertions, c.require_signed_assertions, c.idp_initiated_enabled, o.allow_profiles_outside_organization, e.client_id, e.kind AS environment_kind,
            COALESCE((SELECT json_agg(d.domain ORDER BY d.id) FROM organization_domains d WHERE d.organization_id = c.organization_id AND d.state <> 'failed'), '[]') AS domains,
            COALESCE((SELECT json_agg(json_build_object('uri', r.uri, 'isDefault', r.is_default) ORDER BY r.id) FROM redirect_uris r WHERE r.environment_id = c.environment_id), '[]') AS redirect_uris,
            ${eventFollowedSql('c.environment_id', "'authentication.sso_succeeded'")} AS succeeded_followed,
            ${CONTEXT_VERSION} AS version
       FROM ${CONTEXT_ROWS}
      WHERE c.id = $1`,
    [connectionId],
  );
  if (!row) return null;
  return {
    id: row.id, environmentId: row.environment_id, environmentKind: row.environment_kind, organizationId: row.organization_id, connectionType: row.connection_type, state: row.state,
    idpEntityId: row.idp_entity_id, idpCertificates: row.idp_certificates, attributeMapping: row.attribute_mapping, spPrivateKeyEncrypted: row.sp_private_key_encrypted,
    spCertificate: row.sp_certificate, spNextCertificate: row.sp_next_certificate, spNextPrivateKeyEncrypted: row.sp_next_private_key_encrypted,
    acceptUnencryptedAssertions: row.accept_unencrypted_assertions, requireSignedAssertions: row.require_signed_assertions,
    idpInitiatedEnabled: row.idp_initiated_enabled, allowProfilesOutsideOrganization: row.allow_profiles_outside_organization, clientId: row.client_id,
    domains: row.domains, redirectUris: row.redirect_uris, succeededFollowed: row.succeeded_followed, version: row.version,
  };
}

const COLUMNS = [
  ['id', 'id'], ['environment_id', 'environmentId'], ['organization_id', 'organizationId'], ['connection_id', 'connectionId'], ['origin', 'origin'],
  ['state', 'state'], ['request_id', 'requestId'], ['redirect_uri', 'redirectUri'], ['client_state', 'clientState'], ['code_challenge', 'codeChallenge'],
  ['saml_request', 'samlRequest'], ['saml_response', 'samlResponse'], ['saml_response_bytes', 'samlResponseBytes'], ['saml_response_truncated', 'samlResponseTruncated'],
  ['decrypted_assertion', 'decryptedAssertion'], ['sp_key_fingerprint', 'spKeyFingerprint'], ['idp_certificate_fingerprint', 'idpCertificateFingerprint'], ['email', 'email'], ['first_name', 'firstName'], ['last_name', 'lastName'],
  ['idp_id', 'idpId'], ['profile', 'profile'], ['error', 'error'], ['error_reason', 'errorReason'], ['error_message', 'errorMessage'],
  ['error_details', 'errorDetails'], ['ip', 'ip'], ['user_agent', 'userAgent'], ['provider', 'provider'], ['oauth_exchange', 'oauthExchange'], ['oauth_tokens_sealed', 'oauthTokensSealed'], ['started_at', 'startedAt'], ['authorized_at', 'authorizedAt'], ['failed_at', 'failedAt'],
  ['test_sign_in', 'testSignIn'],
] as const satisfies readonly (readonly [string, keyof SsoSessionEntity])[];
/** What a response may change on a session Portico created at authorize time; the rest was fixed then. */
const UPDATED_BY_RESPONSE = ['state', 'redirect_uri', 'saml_response', 'saml_response_bytes', 'saml_response_truncated', 'decrypted_assertion', 'sp_key_fingerprint', 'idp_certificate_fingerprint', 'email', 'first_name', 'last_name', 'idp_id', 'profile', 'error', 'error_reason', 'error_message', 'error_details', 'ip', 'user_agent', 'oauth_exchange', 'oauth_tokens_sealed', 'authorized_at', 'failed_at'];

/** A session's value for one column, as the statements bind it (JSON columns as their text). */
function columnValue(session: SsoSessionEntity, key: (typeof COLUMNS)[number][1]): unknown {
  const value = session[key] ?? (key === 'testSignIn' ? false : null);
  return key === 'profile' || key === 'errorDetails' || key === 'oauthExchange' ? (value === null ? null : JSON.stringify(value)) : value;
}

/** Each column's type, for binding a column of several sessions as one array (text unless named). */
const COLUMN_TYPES: Partial<Record<(typeof COLUMNS)[number][0], string>> = {
  saml_response_bytes: 'integer', saml_response_truncated: 'boolean', test_sign_in: 'boolean',
  profile: 'jsonb', error_details: 'jsonb', oauth_exchange: 'jsonb', started_at: 'timestamptz', authorized_at: 'timestamptz', failed_at: 'timestamptz',
};

function sessionValues(session: SsoSessionEntity, offset: number) {
  const values = COLUMNS.map(([, key]) => columnValue(session, key));
  const placeholders = COLUMNS.map((_, i) => `$${offset + i + 1}`).join(', ');
  return { values, placeholders };
}

/** INSERT … ON CONFLICT for a session row; a SP-initiated session is updated only while it is still STARTED (a response counts once). */
function upsertSql(placeholders: string, source: 'VALUES' | 'SELECT', condition = ''): string {
  const body = source === 'VALUES' ? `VALUES (${placeholders})` : `SELECT ${placeholders} ${condition}`;
  return `INSERT INTO sso_sessions (${COLUMNS.map(([c]) => c).join(', ')}) ${body}
    ON CONFLICT (id) DO UPDATE SET ${UPDATED_BY_RESPONSE.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
    WHERE sso_sessions.state = 'STARTED'
    RETURNING id`;
}

/** Saves a session in one statement; false when a SP-initiated session had already received its response. */
export async function saveSession(db: DataSource | EntityManager, session: SsoSessionEntity): Promise<boolean> {
  const { values, placeholders } = sessionValues(session, 0);
  const rows = (await db.query(upsertSql(placeholders, 'VALUES'), values)) as unknown[];
  return rows.length === 1;
}

export interface Authorization {
  assertionId: string;
  assertionExpiresAt: Date;
  codeHash: string;
  codeExpiresAt: Date;
  clientId: string;
}

/** The `authentication.sso_succeeded` row the sign-in's statement inserts with the session. */
export interface SucceededEvent {
  id: string;
  data: Record<string, unknown>;
}

export interface AuthorizeResult {
  /** `stale`: the context version given is no longer the connection's; nothing was written. */
  outcome: 'authorized' | 'replayed' | 'consumed' | 'followed' | 'stale';
  /** This statement moved the connection from validating to active (only one sign-in's statement can). */
  activated: boolean;
  /** An enabled webhook endpoint of the environment subscribes to authentication.sso_succeeded. */
  subscribed: boolean;
}

/**
 * One statement for a successful sign-in: record the assertion ID (the replay cache), save the AUTHORIZED
 * session, issue the code, activate a validating connection and insert the `authentication.sso_succeeded` event.
 * Nothing is written when the assertion was already seen (`replayed`) or the session had already received a
 * response (`consumed`).
 *
 * `quietOnly`: the caller runs the statement on its own, outside a transaction, so nothing may follow the event:
 * when a webhook endpoint wants it or the connection is still validating (a first sign-in causes the notifying
 * `connection.activated`), the statement writes nothing and answers `followed`; the caller then runs it again in a
 * transaction that queues what follows. Both conditions are read in the statement's own snapshot.
 */
export async function authorizeInOneStatement(db: DataSource | EntityManager, session: SsoSessionEntity, a: Authorization, event: SucceededEvent, quietOnly: boolean, contextVersion: string | null = null): Promise<AuthorizeResult> {
  const head = [session.connectionId, a.assertionId, a.assertionExpiresAt, a.codeHash, a.clientId, a.codeExpiresAt, event.id, JSON.stringify(event.data), 'authentication.sso_succeeded'];
  const { values, placeholders } = sessionValues(session, head.length);
  const environment = `$${head.length + 2}`;
  const organization = `$${head.length + 3}`;
  const subscribed = eventFollowedSql(environment, '$9');
  // A context from the cache: written only while its rows are the ones it was read from, in this statement's snapshot.
  const versioned = contextVersion !== null;
  const conditions = [...(versioned ? ['(SELECT ok FROM current)'] : []), ...(quietOnly ? ['(SELECT q FROM quiet)'] : [])];
  const [row] = await preparedQuery<{ fresh: number; saved: number; codes: number; events: number; activated: number; quiet: boolean; subscribed: boolean; current: boolean }>(db,
    `WITH ${versioned ? `current AS (
        SELECT COALESCE((SELECT ${CONTEXT_VERSION} = $${head.length + values.length + 1} FROM ${CONTEXT_ROWS} WHERE c.id = $1), false) AS ok
      ), ` : ''}quiet AS (
        SELECT NOT (${subscribed} OR EXISTS (SELECT 1 FROM connections WHERE id = $1 AND state = 'validating')) AS q
      ), fresh AS (
        INSERT INTO saml_assertion_ids (connection_id, assertion_id, expires_at) SELECT $1, $2, $3 ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''} ON CONFLICT DO NOTHING RETURNING 1
      ), saved AS (
        ${upsertSql(placeholders, 'SELECT', 'WHERE EXISTS (SELECT 1 FROM fresh)')}
      ), code AS (
        INSERT INTO authorization_codes (code_hash, session_id, environment_id, client_id, code_challenge, expires_at)
        SELECT $4, saved.id, ${environment}, $5, $${head.length + 10}, $6 FROM saved RETURNING 1
      ), activated AS (
        UPDATE connections SET state = 'active', updated_at = now() WHERE id = $1 AND state = 'validating' AND EXISTS (SELECT 1 FROM saved) RETURNING 1
      ), event AS (
        INSERT INTO events (id, environment_id, organization_id, event, data) SELECT $7, ${environment}, ${organization}, $9, $8 FROM saved RETURNING 1
      )
      SELECT (SELECT count(*) FROM fresh)::int AS fresh, (SELECT count(*) FROM saved)::int AS saved, (SELECT count(*) FROM code)::int AS codes,
             (SELECT count(*) FROM event)::int AS events, (SELECT count(*) FROM activated)::int AS activated, (SELECT q FROM quiet) AS quiet, ${subscribed} AS subscribed,
             ${versioned ? '(SELECT ok FROM current)' : 'true'} AS current`,
    [...head, ...values, ...(versioned ? [contextVersion] : [])],
  );
  const result = (outcome: AuthorizeResult['outcome']): AuthorizeResult => ({ outcome, activated: row?.activated === 1, subscribed: row?.subscribed === true });
  if (!row) return result('replayed');
  if (!row.current) return result('stale');
  if (quietOnly && !row.quiet) return result('followed');
  if (row.fresh === 0) return result('replayed');
  return result(row.saved === 1 && row.codes === 1 && row.events === 1 ? 'authorized' : 'consumed');
}

/** One sign-in of a batch: what authorizeInOneStatement takes for it. */
export interface QuietSignIn {
  session: SsoSessionEntity;
  authorization: Authorization;
  event: SucceededEvent;
}

/**
 * Several successful sign-ins of one connection in one statement, each exactly as authorizeInOneStatement writes it
 * with `quietOnly` and a context version: one commit for all of them, and one round trip. The context's fingerprint
 * and whether anything follows the event are read once, in the statement's own snapshot, and hold for every row (one
 * connection, one environment): `stale` or `followed` for all of them, nothing written. Each row's assertion ID is
 * recorded on its own (the replay cache), and each session saved with its code and event only when its assertion
 * was fresh. The assertion IDs must differ, and so must the sessions (the caller leaves a repeated one for a later
 * statement): two rows with one ID could not tell which of them recorded it. Rows are locked in key order, the same in
 * every process, so two batches never wait for each other in a circle.
 */
export async function authorizeQuietBatch(db: DataSource | EntityManager, connectionId: string, contextVersion: string, signIns: QuietSignIn[]): Promise<AuthorizeResult[]> {
  if (new Set(signIns.map((s) => s.authorization.assertionId)).size !== signIns.length) throw new Error('A batch of sign-ins repeats an assertion ID');
  // Two responses for one SP-initiated session would make the upsert touch its row twice, which PostgreSQL refuses.
  if (new Set(signIns.map((s) => s.session.id)).size !== signIns.length) throw new Error('A batch of sign-ins repeats a session');
  const rows = await preparedQuery<{ fresh: boolean; saved: boolean; code: boolean; event: boolean; current: boolean; quiet: boolean }>(db, batchSql(),
    [connectionId, contextVersion, signIns[0]!.session.environmentId, 'authentication.sso_succeeded', ...BATCH_ARRAYS.map(([, , of]) => signIns.map(of))],
  );
  if (rows.length !== signIns.length) throw new Error(`A batch of ${signIns.length} sign-ins answered ${rows.length} rows`);
  return rows.map((row) => {
    const outcome: AuthorizeResult['outcome'] = !row.current ? 'stale' : !row.quiet ? 'followed' : !row.fresh ? 'replayed' : row.saved && row.code && row.event ? 'authorized' : 'consumed';
    return { outcome, activated: false, subscribed: !row.quiet };
  });
}

/** authorizeQuietBatch's arrays, one element per sign-in: each column's name in the statement, its type, its value. */
const BATCH_ARRAYS: readonly (readonly [string, string, (s: QuietSignIn) => unknown])[] = [
  ['assertion_id', 'text', (s) => s.authorization.assertionId], ['assertion_expires_at', 'timestamptz', (s) => s.authorization.assertionExpiresAt],
  ['code_hash', 'text', (s) => s.authorization.codeHash], ['code_expires_at', 'timestamptz', (s) => s.authorization.codeExpiresAt],
  ['client_id', 'text', (s) => s.authorization.clientId], ['event_id', 'text', (s) => s.event.id], ['event_data', 'jsonb', (s) => JSON.stringify(s.event.data)],
  ...COLUMNS.map(([column, key]) => [`s_${column}`, COLUMN_TYPES[column] ?? 'text', (s: QuietSignIn) => columnValue(s.session, key)] as const),
];

/** authorizeQuietBatch's statement: the same text for any number of sign-ins, built on first use. */
let batchStatement: string | undefined;
function batchSql(): string {
  if (batchStatement) return batchStatement;
  // jsonb arrays travel as text arrays (each element cast in the statement): node-postgres writes JSON text, not jsonb.
  const arrays = BATCH_ARRAYS.map(([, type], i) => `$${i + 5}::${type === 'jsonb' ? 'text' : type}[]`);
  const sessionColumns = COLUMNS.map(([c]) => (COLUMN_TYPES[c] === 'jsonb' ? `i.s_${c}::jsonb` : `i.s_${c}`)).join(', ');
  batchStatement = `WITH current AS (
        SELECT COALESCE((SELECT ${CONTEXT_VERSION} = $2 FROM ${CONTEXT_ROWS} WHERE c.id = $1), false) AS ok
      ), quiet AS (
        SELECT NOT (${eventFollowedSql('$3', '$4')} OR EXISTS (SELECT 1 FROM connections WHERE id = $1 AND state = 'validating')) AS q
      ), input AS (
        SELECT * FROM unnest(${arrays.join(', ')}) WITH ORDINALITY AS i(${BATCH_ARRAYS.map(([n]) => n).join(', ')}, ord)
      ), fresh AS (
        INSERT INTO saml_assertion_ids (connection_id, assertion_id, expires_at)
        SELECT $1, i.assertion_id, i.assertion_expires_at FROM input i WHERE (SELECT ok FROM current) AND (SELECT q FROM quiet) ORDER BY i.assertion_id
        ON CONFLICT DO NOTHING RETURNING assertion_id
      ), saved AS (
        ${upsertSql(sessionColumns, 'SELECT', 'FROM input i JOIN fresh f ON f.assertion_id = i.assertion_id ORDER BY i.s_id')}
      ), code AS (
        INSERT INTO authorization_codes (code_hash, session_id, environment_id, client_id, code_challenge, expires_at)
        SELECT i.code_hash, saved.id, i.s_environment_id, i.client_id, i.s_code_challenge, i.code_expires_at
          FROM input i JOIN fresh f ON f.assertion_id = i.assertion_id JOIN saved ON saved.id = i.s_id RETURNING code_hash
      ), event AS (
        INSERT INTO events (id, environment_id, organization_id, event, data)
        SELECT i.event_id, i.s_environment_id, i.s_organization_id, $4, i.event_data::jsonb
          FROM input i JOIN fresh f ON f.assertion_id = i.assertion_id JOIN saved ON saved.id = i.s_id RETURNING id
      )
      SELECT EXISTS (SELECT 1 FROM fresh f WHERE f.assertion_id = i.assertion_id) AS fresh, EXISTS (SELECT 1 FROM saved s WHERE s.id = i.s_id) AS saved,
             EXISTS (SELECT 1 FROM code c WHERE c.code_hash = i.code_hash) AS code, EXISTS (SELECT 1 FROM event e WHERE e.id = i.event_id) AS event,
             (SELECT ok FROM current) AS current, (SELECT q FROM quiet) AS quiet
        FROM input i ORDER BY i.ord`;
  return batchStatement;
}

/**
 * `/sso/authorize`'s write: the STARTED session and its `authentication.sso_started` row in one statement.
 * `quietOnly` as for a sign-in: when an enabled webhook endpoint wants the event, it writes nothing and answers
 * `followed`, and the caller runs it again in a transaction that queues the deliveries.
 */
export async function insertStartedSession(db: DataSource | EntityManager, session: SsoSessionEntity, event: { id: string; data: Record<string, unknown> }, quietOnly: boolean): Promise<{ outcome: 'inserted' | 'followed'; subscribed: boolean }> {
  const head = [event.id, JSON.stringify(event.data), 'authentication.sso_started'];
  const { values, placeholders } = sessionValues(session, head.length);
  const environment = `$${head.length + 2}`;
  const subscribed = eventFollowedSql(environment, '$3');
  const [row] = (await db.query(
    `WITH started AS (
        INSERT INTO sso_sessions (${COLUMNS.map(([c]) => c).join(', ')}) SELECT ${placeholders} ${quietOnly ? `WHERE NOT ${subscribed}` : ''} RETURNING id
      ), event AS (
        INSERT INTO events (id, environment_id, organization_id, event, data) SELECT $1, ${environment}, $${head.length + 3}, $3, $2 FROM started RETURNING 1
      )
      SELECT (SELECT count(*) FROM started)::int AS started, (SELECT count(*) FROM event)::int AS events, ${subscribed} AS subscribed`,
    [...head, ...values],
  )) as { started: number; events: number; subscribed: boolean }[];
  if (row?.started !== 1 || row.events !== 1) {
    if (quietOnly && row?.subscribed) return { outcome: 'followed', subscribed: true };
    throw new Error(`The started session ${session.id} was not written`);
  }
  return { outcome: 'inserted', subscribed: row.subscribed };
}

/**
 * A test sign-in that passed every check: its unseen code is burnt and the session is SUCCESSFUL, since the
 * profile went to Portico's result page rather than through an app's token exchange.
 */
export async function completeTestSignIn(db: DataSource, sessionId: string, now: Date): Promise<void> {
  await db.transaction(async (m) => {
    await m.query('UPDATE authorization_codes SET used_at = $2 WHERE session_id = $1 AND used_at IS NULL', [sessionId, now]);
    await m.query(`UPDATE sso_sessions SET state = 'SUCCESSFUL', succeeded_at = $2 WHERE id = $1 AND state = 'AUTHORIZED' AND test_sign_in`, [sessionId, now]);
  });
}
