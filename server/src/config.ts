import { availableParallelism, hostname } from 'node:os';
import path from 'node:path';
import { MAX_BATCH } from './modules/sso-sessions/write-slots';

/** Everything Portico reads from its environment, parsed once at start. README lists each variable. */
export interface Config {
  port: number;
  host: string;
  /** The URL people reach Portico at; used in emails and cookies. */
  publicUrl: string;
  databaseUrl: string | undefined;
  dataDir: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  trustProxy: string | number | boolean;
  seedDemo: boolean;
  sessionTtlDays: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Encrypts private keys and OAuth secrets at rest; when unset, a key file in the data folder is used (created once). */
  secretKey: string | undefined;
  /** Tolerated clock difference with identity providers, in seconds (at most 300). */
  samlClockSkewSeconds: number;
  /** Worker threads that validate SAML responses; 0 validates on the main thread. */
  samlWorkers: number;
  /** The validation threads' nice value (0–19, Linux): above the main thread's, so requests are answered first. */
  samlWorkerNice: number;
  /** Sign-ins written to the database at once; the others wait their turn in the process (sso-sessions/write-slots.ts). */
  acsWriteSlots: number;
  /** The most sign-ins of one connection written by one statement when they wait for a write slot (1: each alone). */
  acsWriteBatch: number;
  /** Seconds after an OIDC connection's JWKS fetch during which an unknown key ID does not re-fetch it (rotation vs. forged kids). */
  oidcJwksCooldownSeconds: number;
  /** Lets metadata URLs and webhook endpoints point at loopback or private addresses (off: that would let the dashboard probe the internal network). */
  allowPrivateUrls: boolean;
  /** Seconds between housekeeping runs (one run per period across all processes). */
  housekeepingIntervalSeconds: number;
  /** Days the raw SAML request and response of a session are kept; the session row stays. */
  samlRawRetentionDays: number;
  /** Serves Prometheus metrics at /metrics. */
  metricsEnabled: boolean;
  /** When set, /metrics requires `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
  /** Names this replica in an `X-Portico-Instance` response header (unset: no header). */
  instanceId: string | undefined;
  /** Seconds a stopping process keeps accepting (answering /ready 503) so load balancers take it out first. */
  drainSeconds: number;
  /**
   * Tests only: where each OAuth provider lives instead of Google, Microsoft, GitHub and Apple (a local stand-in).
   * Refused when NODE_ENV=production, so a deployment can never send sign-ins anywhere but the real providers.
   */
  oauthProviderUrls: Partial<Record<'GoogleOAuth' | 'MicrosoftOAuth' | 'GitHubOAuth' | 'AppleOAuth', string>>;
}

function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

function integer(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a whole number, got "${value}"`);
  return parsed;
}

function bounded(name: string, value: number, max: number): number {
  if (value > max) throw new Error(`${name} must be at most ${max}, got ${value}`);
  return value;
}

/** Express's `trust proxy`: off, on, a hop count, or a list of trusted addresses and subnets. */
function trustProxy(value: string | undefined): string | number | boolean {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '' || trimmed.toLowerCase() === 'false') return false;
  if (trimmed.toLowerCase() === 'true') return true;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}

/** A header value: letters, digits, `.`, `_`, `-`; at most 64. `hostname` takes the machine's (a container's ID). */
function instanceId(value: string | undefined): string | undefined {
  let trimmed = value?.trim() ?? '';
  if (trimmed === '') return undefined;
  if (trimmed === 'hostname') trimmed = hostname().slice(0, 64);
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(trimmed)) throw new Error(`PORTICO_INSTANCE_ID must be 1-64 letters, digits, ".", "_" or "-", got "${trimmed}"`);
  return trimmed;
}

const OVERRIDABLE = ['GoogleOAuth', 'MicrosoftOAuth', 'GitHubOAuth', 'AppleOAuth'] as const;

/** `PORTICO_TEST_OAUTH_PROVIDER_URLS`: `GoogleOAuth=http://127.0.0.1:4810,GitHubOAuth=http://127.0.0.1:4811`. */
function oauthProviderUrls(value: string | undefined, nodeEnv: string | undefined): Config['oauthProviderUrls'] {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') return {};
  if (nodeEnv === 'production') {
    throw new Error('PORTICO_TEST_OAUTH_PROVIDER_URLS is for tests only and is refused when NODE_ENV=production: unset it so sign-ins go to the real providers');
  }
  const urls: Config['oauthProviderUrls'] = {};
  for (const pair of trimmed.split(',')) {
    const [name, url] = pair.split(/=(.*)/s).map((part) => part.trim());
    if (!OVERRIDABLE.includes(name as never)) throw new Error(`PORTICO_TEST_OAUTH_PROVIDER_URLS: "${name}" is not one of ${OVERRIDABLE.join(', ')}`);
    if (!url || !/^https?:\/\/[^/]/.test(url)) throw new Error(`PORTICO_TEST_OAUTH_PROVIDER_URLS: ${name} needs an http(s) URL, got "${url ?? ''}"`);
    urls[name as (typeof OVERRIDABLE)[number]] = url.replace(/\/+$/, '');
  }
  return urls;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = integer('PORT', env.PORT, 8080);
  const databaseUrl = env.DATABASE_URL || undefined;
  return {
    port,
    host: env.HOST || '0.0.0.0',
    publicUrl: (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, ''),
    databaseUrl,
    dataDir: path.resolve(env.PORTICO_DATA_DIR || '.portico-data'),
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || 'Portico <no-reply@portico.localhost>',
    trustProxy: trustProxy(env.TRUST_PROXY),
    seedDemo: flag(env.PORTICO_SEED_DEMO, !databaseUrl),
    sessionTtlDays: integer('SESSION_TTL_DAYS', env.SESSION_TTL_DAYS, 14),
    logLevel: (env.LOG_LEVEL as Config['logLevel']) || 'info',
    secretKey: env.PORTICO_SECRET_KEY || undefined,
    samlClockSkewSeconds: bounded('SAML_CLOCK_SKEW_SECONDS', integer('SAML_CLOCK_SKEW_SECONDS', env.SAML_CLOCK_SKEW_SECONDS, 60), 300),
    oidcJwksCooldownSeconds: bounded('OIDC_JWKS_REFRESH_COOLDOWN_SECONDS', integer('OIDC_JWKS_REFRESH_COOLDOWN_SECONDS', env.OIDC_JWKS_REFRESH_COOLDOWN_SECONDS, 30), 3600),
    samlRawRetentionDays: integer('SAML_RAW_RETENTION_DAYS', env.SAML_RAW_RETENTION_DAYS, 90),
    // PORTICO_ALLOW_PRIVATE_METADATA_URLS is the switch's older name, kept as an alias.
    allowPrivateUrls: flag(env.PORTICO_ALLOW_PRIVATE_URLS, flag(env.PORTICO_ALLOW_PRIVATE_METADATA_URLS, false)),
    housekeepingIntervalSeconds: Math.max(1, integer('HOUSEKEEPING_INTERVAL_SECONDS', env.HOUSEKEEPING_INTERVAL_SECONDS, 600)),
    samlWorkers: integer('SAML_WORKERS', env.SAML_WORKERS, availableParallelism()),
    samlWorkerNice: bounded('SAML_WORKER_NICE', integer('SAML_WORKER_NICE', env.SAML_WORKER_NICE, 10), 19),
    acsWriteSlots: Math.max(1, integer('ACS_WRITE_SLOTS', env.ACS_WRITE_SLOTS, Math.max(1, availableParallelism()))),
    // The embedded engine runs one statement at a time for every connection: a batch there only made the dashboard's
    // queries wait longer behind it (bench:acs), so it writes each sign-in alone unless told otherwise.
    acsWriteBatch: Math.max(1, bounded('ACS_WRITE_BATCH', integer('ACS_WRITE_BATCH', env.ACS_WRITE_BATCH, env.DATABASE_URL ? MAX_BATCH : 1), MAX_BATCH)),
    metricsEnabled: flag(env.PORTICO_METRICS, false),
    metricsToken: env.PORTICO_METRICS_TOKEN || undefined,
    instanceId: instanceId(env.PORTICO_INSTANCE_ID),
    drainSeconds: bounded('PORTICO_DRAIN_SECONDS', integer('PORTICO_DRAIN_SECONDS', env.PORTICO_DRAIN_SECONDS, 0), 60),
    oauthProviderUrls: oauthProviderUrls(env.PORTICO_TEST_OAUTH_PROVIDER_URLS, env.NODE_ENV),
  };
}
