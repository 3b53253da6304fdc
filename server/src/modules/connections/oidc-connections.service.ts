import type { FieldError } from '@portico/shared';
import { DEFAULT_OIDC_SCOPES, discoveryLocation, isOidcConnectionType, OIDC_CLAIM_PRESETS, OIDC_CONNECTION_TYPES, readDiscoveryDocument, type OidcConnectionType } from '../../auth/oidc';
import type { AttributeMapping } from '../../auth/saml';
import { ValidationError } from '../../errors';
import { guardedFetch } from '../../lib/guarded-fetch';
import { newId } from '../../lib/ids';
import type { AccessScope } from '../environments/access-scope';
import { getOrganization } from '../organizations/organizations.service';
import { SsoConnectionEntity } from './connection.entity';
import { getConnection, isConfigured, mergeMapping, type ConnectionDeps } from './connections.service';

/**
 * OpenID Connect connections: the organization's IdP (Okta, Entra ID, any OpenID Provider) with Portico registered
 * there as a confidential client. Configured from the IdP's discovery document (fetched through the SSRF guard; the
 * issuer it states must be the one its URL names) or by hand; the client secret is sealed at rest and write-only.
 */

export interface OidcConnectionInput {
  name?: string;
  connectionType?: string;
  discoveryUrl?: string;
  issuer?: string;
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
  jwksUri?: string;
  clientId?: string;
  clientSecret?: string;
  scopes?: string[];
  claimMapping?: Partial<AttributeMapping>;
}

export const oidcSecretContext = (connectionId: string) => `connection:${connectionId}:oidc_client_secret`;

const ENDPOINTS = [['issuer', 'oidcIssuer'], ['authorizationEndpoint', 'oidcAuthorizationEndpoint'], ['tokenEndpoint', 'oidcTokenEndpoint'], ['jwksUri', 'oidcJwksUri']] as const;
// RFC 6749 §3.3 scope-token: printable ASCII except space, " and \.
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/;

function oidcTypeOrThrow(type: string | undefined): OidcConnectionType {
  const value = type ?? 'GenericOIDC';
  if (!isOidcConnectionType(value)) {
    throw ValidationError.field('connectionType', 'invalid_connection_type', `${JSON.stringify(String(value).slice(0, 60))} is not an OpenID Connect connection type. Use one of: ${Object.keys(OIDC_CONNECTION_TYPES).join(', ')}.`);
  }
  return value;
}

/** https, or http only where private addresses are allowed (a lab, the tests): the code and tokens travel there. */
function checkEndpoint(value: string, field: string, allowHttp: boolean, problems: FieldError[]): string {
  const trimmed = value.trim();
  let url: URL | null = null;
  try {
    url = new URL(trimmed);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) || url.username || url.password || url.hash) {
    problems.push({ field, code: 'https_required', message: 'Enter an absolute https:// URL from the identity provider (no credentials or #fragment).' });
  } else if (trimmed.length > 2000) {
    problems.push({ field, code: 'too_long', message: 'Use at most 2,000 characters.' });
  }
  return trimmed;
}

async function discover(deps: ConnectionDeps, discoveryUrl: string, issuer: string | undefined): Promise<Partial<SsoConnectionEntity>> {
  const problems: FieldError[] = [];
  const location = discoveryLocation(checkEndpoint(discoveryUrl, 'discoveryUrl', deps.config.allowPrivateUrls, problems));
  if (problems.length) throw new ValidationError(problems);
  let document: unknown;
  try {
    const res = await guardedFetch(deps.config.allowPrivateUrls)(location.url, { headers: { accept: 'application/json' } });
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    document = await res.json();
  } catch {
    // One answer whatever the cause (refused, private, timed out, not JSON): no map of the internal network.
    throw ValidationError.field('discoveryUrl', 'fetch_failed', `Portico could not read a discovery document at ${location.url}. Check that it is a public https address answering with JSON. Private and internal addresses are refused unless the Portico server runs with PORTICO_ALLOW_PRIVATE_URLS=true.`);
  }
  let found;
  try {
    found = readDiscoveryDocument(document, location.issuer);
  } catch (err) {
    throw ValidationError.field('discoveryUrl', 'invalid_discovery_document', `${(err as Error).message}.`);
  }
  if (issuer !== undefined && issuer.trim() !== found.issuer) {
    throw ValidationError.field('issuer', 'issuer_mismatch', `The discovery document states the issuer ${found.issuer}, not ${issuer.trim().slice(0, 200)}.`);
  }
  const checked: FieldError[] = [];
  const out: Partial<SsoConnectionEntity> = { oidcDiscoveryUrl: location.url };
  for (const [field, column] of ENDPOINTS) out[column] = checkEndpoint(found[field], `discoveryUrl.${field}`, deps.config.allowPrivateUrls, checked);
  if (checked.length) throw new ValidationError(checked);
  return out;
}

/** The IdP side from the input: a discovery URL wins over endpoints typed by hand; each URL checked. */
async function idpSide(deps: ConnectionDeps, input: OidcConnectionInput): Promise<Partial<SsoConnectionEntity>> {
  if (input.discoveryUrl?.trim()) return discover(deps, input.discoveryUrl, input.issuer);
  const problems: FieldError[] = [];
  const out: Partial<SsoConnectionEntity> = {};
  for (const [field, column] of ENDPOINTS) {
    const value = input[field];
    if (value !== undefined) out[column] = checkEndpoint(value, field, deps.config.allowPrivateUrls, problems);
  }
  if (Object.keys(out).length) out.oidcDiscoveryUrl = null;
  if (problems.length) throw new ValidationError(problems);
  return out;
}

/** Portico's registration at the IdP: client ID, secret (sealed), scopes. */
function clientSide(deps: ConnectionDeps, connectionId: string, input: OidcConnectionInput): Partial<SsoConnectionEntity> {
  const problems: FieldError[] = [];
  const out: Partial<SsoConnectionEntity> = {};
  if (input.clientId !== undefined) {
    out.oidcClientId = input.clientId.trim();
    if (!out.oidcClientId || out.oidcClientId.length > 256) problems.push({ field: 'clientId', code: 'invalid_client_id', message: 'Enter the client ID the identity provider gave Portico (1 to 256 characters).' });
  }
  if (input.clientSecret !== undefined) {
    const secret = input.clientSecret.trim();
    if (!secret || secret.length > 2048) problems.push({ field: 'clientSecret', code: 'invalid_client_secret', message: 'Enter the client secret the identity provider gave Portico (1 to 2,048 characters).' });
    else out.oidcClientSecretSealed = deps.secrets.seal(secret, oidcSecretContext(connectionId));
  }
  if (input.scopes !== undefined) {
    const scopes = [...new Set(['openid', ...input.scopes.map((s) => s.trim()).filter(Boolean)])];
    if (scopes.length > 20 || scopes.some((s) => !SCOPE_TOKEN.test(s))) {
      problems.push({ field: 'scopes', code: 'invalid_scope', message: 'Name at most 20 scopes, each printable ASCII without spaces, quotes or backslashes (openid is always asked for).' });
    }
    out.oidcScopes = scopes;
  }
  if (problems.length) throw new ValidationError(problems);
  return out;
}

export async function createOidcConnection(deps: ConnectionDeps, scope: AccessScope, organizationId: string, input: OidcConnectionInput): Promise<SsoConnectionEntity> {
  const org = await getOrganization(deps.db, scope, organizationId);
  const connectionType = oidcTypeOrThrow(input.connectionType);
  const preset = OIDC_CONNECTION_TYPES[connectionType].preset;
  const name = input.name?.trim() || org.name;
  if (name.length > 200) throw ValidationError.field('name', 'name_too_long', 'Use at most 200 characters.');
  const id = newId('connection');
  const connection = Object.assign(new SsoConnectionEntity(), {
    id, environmentId: org.environmentId, organizationId: org.id, name, connectionType,
    idpEntityId: null, idpSsoUrl: null, idpCertificates: [], idpMetadataUrl: null, spCertificate: null, spPrivateKeyEncrypted: null,
    idpInitiatedEnabled: false, acceptUnencryptedAssertions: false, requireSignedAssertions: false,
    mappingPreset: preset, attributeMapping: mergeMapping(OIDC_CLAIM_PRESETS[preset], input.claimMapping),
    oidcDiscoveryUrl: null, oidcIssuer: null, oidcAuthorizationEndpoint: null, oidcTokenEndpoint: null, oidcJwksUri: null, oidcClientId: null, oidcClientSecretSealed: null,
    oidcScopes: DEFAULT_OIDC_SCOPES,
    ...(await idpSide(deps, input)), ...clientSide(deps, id, input),
  });
  connection.state = isConfigured(connection) ? 'validating' : 'draft';
  await deps.db.getRepository(SsoConnectionEntity).insert(connection);
  return getConnection(deps.db, scope, id);
}

export async function updateOidcConnection(deps: ConnectionDeps, scope: AccessScope, id: string, input: OidcConnectionInput): Promise<SsoConnectionEntity> {
  const current = await getConnection(deps.db, scope, id);
  if (!isOidcConnectionType(current.connectionType)) throw ValidationError.field('id', 'not_an_oidc_connection', `${current.id} is a SAML connection: change it with updateSsoConnection.`);
  const patch: Partial<SsoConnectionEntity> = { ...(await idpSide(deps, input)), ...clientSide(deps, current.id, input), updatedAt: new Date() };
  if (input.name !== undefined) {
    const name = input.name.trim();
    if (!name || name.length > 200) throw ValidationError.field('name', 'invalid_name', 'Name the connection (1 to 200 characters).');
    patch.name = name;
  }
  if (input.connectionType !== undefined && input.connectionType !== current.connectionType) {
    patch.connectionType = oidcTypeOrThrow(input.connectionType);
    patch.mappingPreset = OIDC_CONNECTION_TYPES[patch.connectionType as OidcConnectionType].preset;
    patch.attributeMapping = OIDC_CLAIM_PRESETS[patch.mappingPreset as keyof typeof OIDC_CLAIM_PRESETS];
  }
  if (input.claimMapping) patch.attributeMapping = mergeMapping(patch.attributeMapping ?? current.attributeMapping, input.claimMapping);
  const next = { ...current, ...patch } as SsoConnectionEntity;
  if (current.state !== 'inactive') patch.state = !isConfigured(next) ? 'draft' : current.state === 'draft' ? 'validating' : current.state;
  // Fields can be replaced, never cleared: a configured connection stays configured, so no state event follows from here.
  await deps.db.getRepository(SsoConnectionEntity).update({ id: current.id }, patch);
  return getConnection(deps.db, scope, id);
}
