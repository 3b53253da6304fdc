import { createPrivateKey } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { FieldError } from '@portico/shared';
import { ValidationError } from '../../errors';
import { newId } from '../../lib/ids';
import { isMicrosoftTenant } from '../../auth/oidc/providers';
import type { SecretBox } from '../../lib/secret-box';
import { environmentInScope, type AccessScope } from '../environments/access-scope';

export const OAUTH_PROVIDERS = ['GoogleOAuth', 'MicrosoftOAuth', 'GitHubOAuth', 'AppleOAuth'] as const;
export type OAuthProvider = (typeof OAUTH_PROVIDERS)[number];

export interface OAuthProviderRow {
  environment_id: string;
  provider: OAuthProvider;
  enabled: boolean;
  client_id: string | null;
  client_secret_sealed: string | null;
  apple_team_id: string | null;
  apple_key_id: string | null;
  apple_private_key_sealed: string | null;
  microsoft_tenant: string;
  updated_at: Date;
}

export interface OAuthProviderInput {
  provider: OAuthProvider;
  enabled?: boolean;
  clientId?: string | null;
  /** Write-only: set it, or leave it out to keep the stored one. */
  clientSecret?: string;
  appleTeamId?: string | null;
  appleKeyId?: string | null;
  applePrivateKey?: string;
  microsoftTenant?: string;
}

/** Where each provider sends users back to Portico: register this URL in the provider's console. */
export const oauthCallbackUrl = (publicUrl: string) => `${publicUrl}/sso/oauth/callback`;

const CLIENT_ID_RULES: Record<OAuthProvider, { pattern: RegExp; message: string }> = {
  GoogleOAuth: { pattern: /^[\w-]+\.apps\.googleusercontent\.com$/, message: 'A Google client ID ends in .apps.googleusercontent.com.' },
  MicrosoftOAuth: { pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, message: 'A Microsoft application (client) ID is a GUID, e.g. 00000000-0000-0000-0000-000000000000.' },
  GitHubOAuth: { pattern: /^[A-Za-z0-9.]{16,40}$/, message: 'A GitHub client ID has 16 to 40 letters, digits and dots (e.g. Iv1.… or Ov23…).' },
  AppleOAuth: { pattern: /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/, message: 'An Apple client ID is the Services ID, in reverse-DNS form (com.example.signin).' },
};

const sealContext = (environmentId: string, provider: string, field: string) => `oauth:${environmentId}:${provider}:${field}`;

export async function listOAuthProviders(db: DataSource, environmentId: string): Promise<OAuthProviderRow[]> {
  const rows = (await db.query('SELECT * FROM oauth_providers WHERE environment_id = $1', [environmentId])) as OAuthProviderRow[];
  return OAUTH_PROVIDERS.map((provider) => rows.find((r) => r.provider === provider) ?? {
    environment_id: environmentId, provider, enabled: false, client_id: null, client_secret_sealed: null, apple_team_id: null, apple_key_id: null, apple_private_key_sealed: null, microsoft_tenant: 'common', updated_at: new Date(0),
  });
}

/** Saves a provider's settings; secrets are sealed at rest and never returned. Enabling needs complete credentials. */
export async function updateOAuthProvider(db: DataSource, secrets: SecretBox, scope: AccessScope, environmentId: string, input: OAuthProviderInput): Promise<OAuthProviderRow> {
  const environment = await environmentInScope({ db }, scope, environmentId);
  if (!OAUTH_PROVIDERS.includes(input.provider)) throw ValidationError.field('provider', 'invalid_provider', `Use one of ${OAUTH_PROVIDERS.join(', ')}.`);
  const current = (await listOAuthProviders(db, environment.id)).find((r) => r.provider === input.provider)!;
  const problems: FieldError[] = [];
  const clientId = input.clientId === undefined ? current.client_id : input.clientId?.trim() || null;
  if (clientId && !CLIENT_ID_RULES[input.provider].pattern.test(clientId)) problems.push({ field: 'clientId', code: 'invalid_client_id', message: CLIENT_ID_RULES[input.provider].message });
  if (input.clientSecret !== undefined && input.provider !== 'AppleOAuth' && (input.clientSecret.trim().length < 8 || input.clientSecret.length > 512)) {
    problems.push({ field: 'clientSecret', code: 'invalid_client_secret', message: 'Paste the client secret from the provider (8 to 512 characters).' });
  }
  let teamId = current.apple_team_id;
  let keyId = current.apple_key_id;
  if (input.provider === 'AppleOAuth') {
    if (input.appleTeamId !== undefined) teamId = input.appleTeamId?.trim() || null;
    if (input.appleKeyId !== undefined) keyId = input.appleKeyId?.trim() || null;
    if (teamId && !/^[A-Z0-9]{10}$/.test(teamId)) problems.push({ field: 'appleTeamId', code: 'invalid_team_id', message: 'An Apple Team ID has 10 upper-case letters and digits.' });
    if (keyId && !/^[A-Z0-9]{10}$/.test(keyId)) problems.push({ field: 'appleKeyId', code: 'invalid_key_id', message: 'An Apple Key ID has 10 upper-case letters and digits.' });
    if (input.applePrivateKey !== undefined) {
      try {
        const key = createPrivateKey(input.applePrivateKey.trim());
        if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') throw new Error('not P-256');
      } catch {
        problems.push({ field: 'applePrivateKey', code: 'invalid_private_key', message: 'Paste the .p8 key Apple gave you (-----BEGIN PRIVATE KEY----- …, an EC P-256 key).' });
      }
    }
  }
  const tenant = input.microsoftTenant === undefined ? current.microsoft_tenant : input.microsoftTenant.trim().toLowerCase();
  if (input.provider === 'MicrosoftOAuth' && !isMicrosoftTenant(tenant)) {
    problems.push({ field: 'microsoftTenant', code: 'invalid_tenant', message: 'Use common, organizations, consumers, a tenant ID (GUID) or the tenant’s domain.' });
  }
  const secretSealed = input.clientSecret !== undefined && input.provider !== 'AppleOAuth' ? secrets.seal(input.clientSecret.trim(), sealContext(environment.id, input.provider, 'client_secret')) : current.client_secret_sealed;
  const appleKeySealed = input.applePrivateKey !== undefined && input.provider === 'AppleOAuth' ? secrets.seal(input.applePrivateKey.trim(), sealContext(environment.id, input.provider, 'private_key')) : current.apple_private_key_sealed;
  const enabled = input.enabled ?? current.enabled;
  if (enabled) {
    const complete = input.provider === 'AppleOAuth' ? clientId && teamId && keyId && appleKeySealed : clientId && secretSealed;
    if (!complete) problems.push({ field: 'enabled', code: 'credentials_incomplete', message: input.provider === 'AppleOAuth' ? 'Enter the client ID, team ID, key ID and private key before enabling Sign in with Apple.' : 'Enter the client ID and client secret before enabling the provider.' });
  }
  if (problems.length) throw new ValidationError(problems);
  await db.query(
    `INSERT INTO oauth_providers (environment_id, provider, enabled, client_id, client_secret_sealed, apple_team_id, apple_key_id, apple_private_key_sealed, microsoft_tenant, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())
     ON CONFLICT (environment_id, provider) DO UPDATE SET enabled = EXCLUDED.enabled, client_id = EXCLUDED.client_id, client_secret_sealed = EXCLUDED.client_secret_sealed,
       apple_team_id = EXCLUDED.apple_team_id, apple_key_id = EXCLUDED.apple_key_id, apple_private_key_sealed = EXCLUDED.apple_private_key_sealed, microsoft_tenant = EXCLUDED.microsoft_tenant, updated_at = now()`,
    [environment.id, input.provider, enabled, clientId, secretSealed, teamId, keyId, appleKeySealed, tenant],
  );
  return (await listOAuthProviders(db, environment.id)).find((r) => r.provider === input.provider)!;
}

export interface AdminPortalSettings {
  redirectUrl: string | null;
  displayName: string | null;
  logoUrl: string | null;
  brandColor: string | null;
}

export async function getAdminPortalSettings(db: DataSource, environmentId: string): Promise<AdminPortalSettings> {
  const [row] = (await db.query('SELECT redirect_url, display_name, logo_url, brand_color FROM admin_portal_settings WHERE environment_id = $1', [environmentId])) as Record<string, string | null>[];
  return { redirectUrl: row?.redirect_url ?? null, displayName: row?.display_name ?? null, logoUrl: row?.logo_url ?? null, brandColor: row?.brand_color ?? null };
}

function httpsProblem(value: string | null, field: string): FieldError[] {
  if (!value) return [];
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:') throw new Error('scheme');
    if (url.username || url.password) throw new Error('credentials');
    return [];
  } catch {
    return [{ field, code: 'https_required', message: 'Enter an absolute https:// URL.' }];
  }
}

/** The Admin Portal's redirect link (https) and branding: display name, logo (https), colour (#rrggbb). */
export async function updateAdminPortalSettings(db: DataSource, scope: AccessScope, environmentId: string, input: Partial<AdminPortalSettings>): Promise<AdminPortalSettings> {
  const environment = await environmentInScope({ db }, scope, environmentId);
  const next = { ...(await getAdminPortalSettings(db, environment.id)) };
  for (const key of ['redirectUrl', 'displayName', 'logoUrl', 'brandColor'] as const) if (input[key] !== undefined) next[key] = input[key]?.trim() || null;
  const problems = [...httpsProblem(next.redirectUrl, 'redirectUrl'), ...httpsProblem(next.logoUrl, 'logoUrl')];
  if (next.displayName && next.displayName.length > 80) problems.push({ field: 'displayName', code: 'too_long', message: 'Use at most 80 characters.' });
  if (next.brandColor && !/^#[0-9a-fA-F]{6}$/.test(next.brandColor)) problems.push({ field: 'brandColor', code: 'invalid_color', message: 'Use a hex colour like #4f46e5.' });
  if (problems.length) throw new ValidationError(problems);
  await db.query(
    `INSERT INTO admin_portal_settings (environment_id, redirect_url, display_name, logo_url, brand_color, updated_at) VALUES ($1, $2, $3, $4, $5, now())
     ON CONFLICT (environment_id) DO UPDATE SET redirect_url = EXCLUDED.redirect_url, display_name = EXCLUDED.display_name, logo_url = EXCLUDED.logo_url, brand_color = EXCLUDED.brand_color, updated_at = now()`,
    [environment.id, next.redirectUrl, next.displayName, next.logoUrl, next.brandColor?.toLowerCase() ?? null],
  );
  return getAdminPortalSettings(db, environment.id);
}

export interface SignInProvider {
  /** The provider's connection ID in this environment (the profile's connection_id), made on first use. */
  connectionId: string;
  enabled: boolean;
  clientId: string | null;
  clientSecret: string | null;
  apple: { teamId: string; keyId: string; privateKey: string } | null;
  microsoftTenant: string;
}

/**
 * A provider's settings for a sign-in, secrets opened; null when the environment never configured it.
 * tenancy: read by the environment the client ID (or the session) names.
 */
export async function signInProvider(db: DataSource, secrets: SecretBox, environmentId: string, provider: OAuthProvider): Promise<SignInProvider | null> {
  type Row = OAuthProviderRow & { connection_id: string | null; microsoft_tenant: string };
  const columns = 'enabled, client_id, client_secret_sealed, apple_team_id, apple_key_id, apple_private_key_sealed, connection_id, microsoft_tenant';
  let [row] = (await db.query(`SELECT ${columns} FROM oauth_providers WHERE environment_id = $1 AND provider = $2`, [environmentId, provider])) as Row[];
  if (row && !row.connection_id) {
    // First sign-in through this provider: give it its connection ID once (COALESCE: a concurrent first sign-in's wins).
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    [[row]] = (await db.query(
      `UPDATE oauth_providers SET connection_id = COALESCE(connection_id, $3) WHERE environment_id = $1 AND provider = $2 RETURNING ${columns}`,
      [environmentId, provider, newId('connection')],
    )) as [Row[], number];
  }
  if (!row) return null;
  const open = (sealed: string | null, field: string) => (sealed ? secrets.open(sealed, sealContext(environmentId, provider, field)) : null);
  const privateKey = open(row.apple_private_key_sealed, 'private_key');
  return {
    connectionId: row.connection_id!, enabled: row.enabled, clientId: row.client_id, clientSecret: open(row.client_secret_sealed, 'client_secret'),
    apple: row.apple_team_id && row.apple_key_id && privateKey ? { teamId: row.apple_team_id, keyId: row.apple_key_id, privateKey } : null,
    microsoftTenant: row.microsoft_tenant,
  };
}
