import type { DataSource } from 'typeorm';
import { parseCertificate } from '../../auth/saml';
import { idAt } from '../sso-sessions/sessions.service';

/**
 * The Overview's figures for one environment, read as aggregates: a fixed number of statements whatever the
 * environment holds (no statement per organization, connection or directory). It reads other modules' tables
 * directly because it is a read model over all of them; it never writes.
 *
 * tenancy: every statement is bound to `environmentId`; the caller has checked the viewer may see that environment.
 */

const DAY_MS = 86_400_000;
/** Certificates expiring within this many days are listed (the first renewal notice goes out at 30). */
export const CERTIFICATE_WARNING_DAYS = 30;
export const TOP_ERRORS = 5;
export const LISTED_DIRECTORIES = 6;
export const LISTED_CONNECTIONS = 5;
export const LISTED_CERTIFICATES = 8;

export interface OnboardingChecklist {
  apiKeyCreated: boolean;
  redirectUriAdded: boolean;
  organizationCreated: boolean;
  connectionActive: boolean;
  signInSucceeded: boolean;
  directorySynced: boolean;
}

export interface SignInCounts { attempts: number; succeeded: number; failed: number }

export interface TopError { error: string; count: number; connectionId: string; connectionName: string; organizationName: string; latestSessionId: string }

export interface ConnectionAttention { id: string; name: string; state: string; organizationName: string }

export interface DirectorySummary {
  id: string; name: string; type: string; state: string; organizationName: string; lastRequestAt: Date | null; lastRequestStatus: number | null;
}

export interface ExpiringCertificate { connectionId: string; connectionName: string; organizationName: string; notAfter: Date; expired: boolean }

export interface EnvironmentOverviewData {
  checklist: OnboardingChecklist;
  signIns24h: SignInCounts;
  signIns7d: SignInCounts;
  topErrors: TopError[];
  connectionsByState: Record<'draft' | 'validating' | 'active' | 'inactive', number>;
  connectionsNeedingAttention: ConnectionAttention[];
  directoryCount: number;
  directories: DirectorySummary[];
  expiringCertificates: ExpiringCertificate[];
  generatedAt: Date;
}

export async function environmentOverview(db: DataSource, environmentId: string, now = new Date()): Promise<EnvironmentOverviewData> {
  const [checklist, signIns, topErrors, connections, directories, expiringCertificates] = await Promise.all([
    readChecklist(db, environmentId), readSignIns(db, environmentId, now), readTopErrors(db, environmentId, now),
    readConnections(db, environmentId), readDirectories(db, environmentId), readExpiringCertificates(db, environmentId, now),
  ]);
  return { checklist, ...signIns, topErrors, ...connections, ...directories, expiringCertificates, generatedAt: now };
}

/**
 * Each step is an EXISTS that stops at the first row; a sign-in is looked for per connection on its state index.
 * The steps are the team's own: the Test Organization and its connection to the built-in test IdP (made for every
 * Staging environment) don't tick them, and neither do dashboard Test sign-ins (no code reaches the app).
 */
async function readChecklist(db: DataSource, environmentId: string): Promise<OnboardingChecklist> {
  const [row] = await db.query(
    `WITH test_idp AS (SELECT organization_id, connection_id FROM test_identity_providers WHERE environment_id = $1)
     SELECT EXISTS (SELECT 1 FROM api_keys WHERE environment_id = $1) AS "apiKeyCreated",
            EXISTS (SELECT 1 FROM redirect_uris WHERE environment_id = $1) AS "redirectUriAdded",
            EXISTS (SELECT 1 FROM organizations o WHERE o.environment_id = $1
                      AND NOT EXISTS (SELECT 1 FROM test_idp t WHERE t.organization_id = o.id)) AS "organizationCreated",
            EXISTS (SELECT 1 FROM connections c WHERE c.environment_id = $1 AND c.state = 'active'
                      AND NOT EXISTS (SELECT 1 FROM test_idp t WHERE t.connection_id = c.id)) AS "connectionActive",
            EXISTS (SELECT 1 FROM connections c WHERE c.environment_id = $1
                      AND EXISTS (SELECT 1 FROM sso_sessions s WHERE s.connection_id = c.id AND s.state IN ('AUTHORIZED', 'SUCCESSFUL') AND NOT s.test_sign_in)) AS "signInSucceeded",
            (EXISTS (SELECT 1 FROM directory_users WHERE environment_id = $1) OR EXISTS (SELECT 1 FROM directory_groups WHERE environment_id = $1)) AS "directorySynced"`,
    [environmentId],
  );
  return row as OnboardingChecklist;
}

/** Sessions started in the last 7 days: an ID range (IDs are ULIDs) on (environment_id, id). */
async function readSignIns(db: DataSource, environmentId: string, now: Date) {
  const [row] = await db.query(
    `SELECT count(*) FILTER (WHERE id >= $3)::int AS "attempts24h",
            count(*) FILTER (WHERE id >= $3 AND state IN ('AUTHORIZED', 'SUCCESSFUL'))::int AS "succeeded24h",
            count(*) FILTER (WHERE id >= $3 AND state = 'FAILED')::int AS "failed24h",
            count(*)::int AS "attempts7d",
            count(*) FILTER (WHERE state IN ('AUTHORIZED', 'SUCCESSFUL'))::int AS "succeeded7d",
            count(*) FILTER (WHERE state = 'FAILED')::int AS "failed7d"
       FROM sso_sessions WHERE environment_id = $1 AND id >= $2`,
    [environmentId, idAt(new Date(now.getTime() - 7 * DAY_MS)), idAt(new Date(now.getTime() - DAY_MS))],
  );
  return {
    signIns24h: { attempts: row.attempts24h, succeeded: row.succeeded24h, failed: row.failed24h },
    signIns7d: { attempts: row.attempts7d, succeeded: row.succeeded7d, failed: row.failed7d },
  };
}

/**
 * The most frequent (error, connection) pairs of the last 7 days, grouped before the names are joined. OAuth provider
 * sign-ins (no connection) are left out before the limit, so they cannot crowd out the connections' errors.
 */
async function readTopErrors(db: DataSource, environmentId: string, now: Date): Promise<TopError[]> {
  return db.query(
    `SELECT t.error, t.count, t.connection_id AS "connectionId", c.name AS "connectionName", o.name AS "organizationName", t.latest AS "latestSessionId"
       FROM (SELECT error, connection_id, count(*)::int AS count, max(id) AS latest
               FROM sso_sessions WHERE environment_id = $1 AND id >= $2 AND state = 'FAILED' AND error IS NOT NULL AND connection_id IS NOT NULL
              GROUP BY error, connection_id ORDER BY count(*) DESC, max(id) DESC LIMIT $3) t
       JOIN connections c ON c.id = t.connection_id
       JOIN organizations o ON o.id = c.organization_id
      ORDER BY t.count DESC, t.latest DESC`,
    [environmentId, idAt(new Date(now.getTime() - 7 * DAY_MS)), TOP_ERRORS],
  );
}

/** Counts by state, and the newest connections that are not active (draft, validating or inactive) to act on. */
async function readConnections(db: DataSource, environmentId: string) {
  const [counts, attention] = await Promise.all([
    db.query(`SELECT state, count(*)::int AS count FROM connections WHERE environment_id = $1 GROUP BY state`, [environmentId]) as Promise<{ state: string; count: number }[]>,
    db.query(
      `SELECT c.id, c.name, c.state, o.name AS "organizationName" FROM connections c JOIN organizations o ON o.id = c.organization_id
        WHERE c.environment_id = $1 AND c.state <> 'active' ORDER BY c.id DESC LIMIT $2`,
      [environmentId, LISTED_CONNECTIONS],
    ) as Promise<ConnectionAttention[]>,
  ]);
  const connectionsByState = { draft: 0, validating: 0, active: 0, inactive: 0 };
  for (const { state, count } of counts) if (state in connectionsByState) connectionsByState[state as keyof typeof connectionsByState] = count;
  return { connectionsByState, connectionsNeedingAttention: attention };
}

/** Directories with their last SCIM request (one index probe each on scim_requests (directory_id, id DESC)). */
async function readDirectories(db: DataSource, environmentId: string) {
  const rows: (DirectorySummary & { total: number })[] = await db.query(
    `SELECT d.id, d.name, d.type, d.state, o.name AS "organizationName", r.created_at AS "lastRequestAt", r.status AS "lastRequestStatus", count(*) OVER ()::int AS total
       FROM directories d
       JOIN organizations o ON o.id = d.organization_id
       LEFT JOIN LATERAL (SELECT created_at, status FROM scim_requests WHERE directory_id = d.id ORDER BY id DESC LIMIT 1) r ON true
      WHERE d.environment_id = $1
      ORDER BY r.created_at DESC NULLS LAST, d.id DESC LIMIT $2`,
    [environmentId, LISTED_DIRECTORIES],
  );
  return { directoryCount: rows[0]?.total ?? 0, directories: rows.map(({ total: _total, ...d }) => d) };
}

/**
 * The IdP certificates of active and validating connections that expire within 30 days (or have expired), soonest
 * first. During a rotation a connection holds two: only the one that lasts longest counts, as for renewal notices.
 * Certificates are parsed in process (parsing is cached by PEM in auth/saml).
 */
async function readExpiringCertificates(db: DataSource, environmentId: string, now: Date): Promise<ExpiringCertificate[]> {
  const rows: { id: string; name: string; organizationName: string; idpCertificates: string[] }[] = await db.query(
    `SELECT c.id, c.name, o.name AS "organizationName", c.idp_certificates AS "idpCertificates"
       FROM connections c JOIN organizations o ON o.id = c.organization_id
      WHERE c.environment_id = $1 AND c.state IN ('active', 'validating') AND jsonb_array_length(c.idp_certificates) > 0`,
    [environmentId],
  );
  const horizon = now.getTime() + CERTIFICATE_WARNING_DAYS * DAY_MS;
  const expiring: ExpiringCertificate[] = [];
  for (const row of rows) {
    const notAfter = newestExpiry(row.idpCertificates);
    if (!notAfter || notAfter.getTime() > horizon) continue;
    expiring.push({ connectionId: row.id, connectionName: row.name, organizationName: row.organizationName, notAfter, expired: notAfter.getTime() < now.getTime() });
  }
  return expiring.sort((a, b) => a.notAfter.getTime() - b.notAfter.getTime()).slice(0, LISTED_CERTIFICATES);
}

function newestExpiry(pems: string[]): Date | null {
  let newest: Date | null = null;
  for (const pem of pems) {
    let validTo: Date;
    try {
      validTo = new Date(parseCertificate(pem).validTo);
    } catch {
      continue; // a certificate that does not parse is reported on the connection page, not here
    }
    if (!newest || validTo > newest) newest = validTo;
  }
  return newest;
}
