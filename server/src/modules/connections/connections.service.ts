import type { DataSource, EntityManager } from 'typeorm';
import { isHttpUrl, type FieldError } from '@portico/shared';
import { isOidcConnectionType } from '../../auth/oidc/claim-mapping';
import { IdpMetadataError, MAPPING_PRESETS, parseCertificate, parseIdpMetadata, sameCertificate, summarizeCertificate, toPem, type AttributeMapping, type MappingPreset } from '../../auth/saml';
import type { Config } from '../../config';
import { NotFoundError, ValidationError } from '../../errors';
import { fetchMetadata } from '../../lib/fetch-metadata';
import { newId } from '../../lib/ids';
import { isOwnKey, ownEntry } from '../../lib/own-keys';
import type { SecretBox } from '../../lib/secret-box';
import { generateSpKeyPair } from '../../lib/sp-keys';
import { restrict, type AccessScope } from '../environments/access-scope';
import { recordEvents } from '../events/events.service';
import { getOrganization } from '../organizations/organizations.service';
import { SsoConnectionEntity, type ConnectionState } from './connection.entity';
import { connectionEvent } from './connection-events';
import { certificateRenewedEvents } from './certificate-events';

/** SAML connection types (contract §2.6) and the attribute mapping each starts from (§6.3). */
export const SAML_CONNECTION_TYPES: Record<string, MappingPreset> = {
  GenericSAML: 'GENERIC', OktaSAML: 'OKTA', AzureSAML: 'ENTRA_ID', GoogleSAML: 'GOOGLE', OneLoginSAML: 'ONELOGIN', PingOneSAML: 'PINGONE',
  PingFederateSAML: 'PING_FEDERATE', JumpCloudSAML: 'JUMPCLOUD', ADFSSAML: 'ADFS', Auth0SAML: 'GENERIC', CasSAML: 'GENERIC',
  ClassLinkSAML: 'GENERIC', CloudflareSAML: 'GENERIC', CyberArkSAML: 'GENERIC', DuoSAML: 'GENERIC', KeycloakSAML: 'GENERIC', LastPassSAML: 'GENERIC',
  MiniOrangeSAML: 'GENERIC', NetIqSAML: 'GENERIC', OracleSAML: 'GENERIC', RipplingSAML: 'GENERIC', SalesforceSAML: 'GENERIC',
  ShibbolethGenericSAML: 'GENERIC', ShibbolethSAML: 'GENERIC', SimpleSamlPhpSAML: 'GENERIC', VMwareSAML: 'GENERIC',
};

/**
 * Each mapping preset by its canonical name, the WorkOS connection type it serves: the API names presets as
 * connectionType does (AzureSAML), never by the internal key (ENTRA_ID).
 */
export const PRESET_CONNECTION_TYPES: Record<MappingPreset, string> = {
  GENERIC: 'GenericSAML', OKTA: 'OktaSAML', ENTRA_ID: 'AzureSAML', GOOGLE: 'GoogleSAML', ONELOGIN: 'OneLoginSAML', PINGONE: 'PingOneSAML',
  PING_FEDERATE: 'PingFederateSAML', JUMPCLOUD: 'JumpCloudSAML', ADFS: 'ADFSSAML',
};

export interface SamlConnectionInput {
  name?: string;
  connectionType?: string;
  /** One source of IdP configuration: metadata XML, a metadata URL, or the fields by hand. */
  metadataXml?: string;
  metadataUrl?: string;
  idpEntityId?: string;
  idpSsoUrl?: string;
  idpCertificates?: string[];
  attributeMapping?: Partial<AttributeMapping>;
  idpInitiatedEnabled?: boolean;
  acceptUnencryptedAssertions?: boolean;
  requireSignedAssertions?: boolean;
}

export interface ConnectionDeps {
  db: DataSource;
  config: Config;
  secrets: SecretBox;
}

/** Where an IdP sends responses for a connection, and the audience they must name. */
export function spEndpoints(publicUrl: string, connectionId: string) {
  return {
    acsUrl: `${publicUrl}/sso/saml/acs/${connectionId}`,
    spEntityId: `${publicUrl}/sso/saml/metadata/${connectionId}`,
    metadataUrl: `${publicUrl}/sso/saml/metadata/${connectionId}`,
  };
}

export const spKeyContext = (connectionId: string) => `connection:${connectionId}:sp_private_key`;

/** Ready for sign-ins: SAML needs the IdP's entity ID, SSO URL and a certificate; OIDC its endpoints, client ID and secret. */
export function isConfigured(c: SsoConnectionEntity): boolean {
  if (isOidcConnectionType(c.connectionType)) {
    return Boolean(c.oidcIssuer && c.oidcAuthorizationEndpoint && c.oidcTokenEndpoint && c.oidcJwksUri && c.oidcClientId && c.oidcClientSecretSealed);
  }
  return Boolean(c.idpEntityId && c.idpSsoUrl && c.idpCertificates.length);
}

function checkHttpsUrl(value: string, field: string, problems: FieldError[]): void {
  if (!isHttpUrl(value)) problems.push({ field, code: 'invalid_url', message: 'Enter an absolute https:// URL from the identity provider.' });
}

/** Reads IdP configuration from the input: metadata (XML or URL) wins over fields; each certificate is parsed. */
async function idpConfiguration(deps: ConnectionDeps, input: SamlConnectionInput): Promise<Partial<SsoConnectionEntity>> {
  let xml = input.metadataXml?.trim();
  if (!xml && input.metadataUrl?.trim()) xml = await fetchMetadata(input.metadataUrl.trim(), { allowPrivate: deps.config.allowPrivateUrls });
  if (xml) {
    try {
      const metadata = parseIdpMetadata(xml);
      const url = input.metadataXml?.trim() ? null : input.metadataUrl?.trim() || null;
      return {
        idpEntityId: metadata.entityId, idpSsoUrl: metadata.ssoUrl, idpCertificates: metadata.certificates, idpMetadataUrl: url,
        idpMetadataRefreshedAt: url ? new Date() : null, idpMetadataRefreshError: null,
      };
    } catch (err) {
      if (err instanceof IdpMetadataError) throw ValidationError.field(input.metadataXml ? 'metadataXml' : 'metadataUrl', err.problem, err.message);
      throw err;
    }
  }
  const problems: FieldError[] = [];
  const out: Partial<SsoConnectionEntity> = {};
  if (input.idpEntityId !== undefined) {
    const value = input.idpEntityId.trim();
    if (!value || value.length > 1024) problems.push({ field: 'idpEntityId', code: 'invalid_entity_id', message: "Enter the IdP's entity ID (issuer), up to 1,024 characters." });
    out.idpEntityId = value;
  }
  if (input.idpSsoUrl !== undefined) {
    checkHttpsUrl(input.idpSsoUrl.trim(), 'idpSsoUrl', problems);
    out.idpSsoUrl = input.idpSsoUrl.trim();
  }
  if (input.idpCertificates !== undefined) {
    out.idpCertificates = [];
    input.idpCertificates.forEach((pem, i) => {
      try {
        parseCertificate(pem);
        out.idpCertificates!.push(toPem(pem));
      } catch {
        problems.push({ field: `idpCertificates[${i}]`, code: 'invalid_certificate', message: 'Paste a PEM X.509 certificate (-----BEGIN CERTIFICATE----- …).' });
      }
    });
    if (input.idpCertificates.length > 5) problems.push({ field: 'idpCertificates', code: 'too_many', message: 'Keep at most 5 certificates (current and next).' });
  }
  if (problems.length) throw new ValidationError(problems);
  return out;
}

export function mergeMapping(base: AttributeMapping, patch: Partial<AttributeMapping> | undefined): AttributeMapping {
  if (!patch) return base;
  const problems: FieldError[] = [];
  const next = { ...base };
  for (const field of Object.keys(base) as (keyof AttributeMapping)[]) {
    const sources = patch[field];
    if (sources === undefined) continue;
    const cleaned = sources.map((s) => s.trim()).filter(Boolean);
    if ((field !== 'groups' && cleaned.length === 0) || cleaned.length > 5 || cleaned.some((s) => s.length > 256)) {
      problems.push({ field: `attributeMapping.${field}`, code: 'invalid_mapping', message: 'Name 1 to 5 attributes (each up to 256 characters), the first one present wins.' });
    }
    next[field] = cleaned;
  }
  if (problems.length) throw new ValidationError(problems);
  return next;
}

/** A switch of the input: true, false or left out. GraphQL lets a client send null, which the column can't hold. */
type Switch = 'idpInitiatedEnabled' | 'acceptUnencryptedAssertions' | 'requireSignedAssertions';
function switchOf(input: SamlConnectionInput, field: Switch): boolean | undefined {
  const value = input[field];
  if (value === null) throw ValidationError.field(field, 'must_be_boolean', 'Pass true or false, or leave the field out.');
  return value;
}

function connectionTypeOrThrow(type: string | undefined): string {
  const value = type ?? 'GenericSAML';
  // Own keys only: `in` would accept inherited names (constructor, toString) and hand a function to TypeORM.
  if (!isOwnKey(SAML_CONNECTION_TYPES, value)) {
    const valid = Object.keys(SAML_CONNECTION_TYPES).sort();
    throw ValidationError.field('connectionType', 'invalid_connection_type', `${JSON.stringify(String(value).slice(0, 60))} is not a SAML connection type. Use one of the ${valid.length}: ${valid.join(', ')}.`);
  }
  return value;
}

export function connectionsQuery(db: DataSource | EntityManager, scope: AccessScope, filter: { environmentId?: string; organizationId?: string; connectionType?: string; domain?: string } = {}) {
  const query = restrict(db.getRepository(SsoConnectionEntity).createQueryBuilder('conn'), scope, 'conn');
  if (filter.environmentId) query.andWhere('conn.environment_id = :environmentId', { environmentId: filter.environmentId });
  if (filter.organizationId) query.andWhere('conn.organization_id = :organizationId', { organizationId: filter.organizationId });
  if (filter.connectionType) query.andWhere('conn.connection_type = :connectionType', { connectionType: filter.connectionType });
  if (filter.domain) {
    query.andWhere('EXISTS (SELECT 1 FROM organization_domains d WHERE d.organization_id = conn.organization_id AND d.domain = :domain)', { domain: filter.domain.toLowerCase() });
  }
  return query;
}

export async function getConnection(db: DataSource | EntityManager, scope: AccessScope, id: string): Promise<SsoConnectionEntity> {
  const connection = await connectionsQuery(db, scope).andWhere('conn.id = :id', { id }).getOne();
  if (!connection) throw new NotFoundError('Connection');
  return connection;
}

export async function createSamlConnection(deps: ConnectionDeps, scope: AccessScope, organizationId: string, input: SamlConnectionInput): Promise<SsoConnectionEntity> {
  const org = await getOrganization(deps.db, scope, organizationId);
  const connectionType = connectionTypeOrThrow(input.connectionType);
  const preset = ownEntry(SAML_CONNECTION_TYPES, connectionType)!;
  const name = input.name?.trim() || org.name;
  if (name.length > 200) throw ValidationError.field('name', 'name_too_long', 'Use at most 200 characters.');
  const idp = await idpConfiguration(deps, input);
  const connection = Object.assign(new SsoConnectionEntity(), {
    id: newId('connection'), environmentId: org.environmentId, organizationId: org.id, name, connectionType,
    idpEntityId: idp.idpEntityId ?? null, idpSsoUrl: idp.idpSsoUrl ?? null, idpCertificates: idp.idpCertificates ?? [], idpMetadataUrl: idp.idpMetadataUrl ?? null,
    mappingPreset: preset, attributeMapping: mergeMapping(MAPPING_PRESETS[preset], input.attributeMapping),
    spCertificate: null, spPrivateKeyEncrypted: null, idpInitiatedEnabled: switchOf(input, 'idpInitiatedEnabled') ?? true,
    acceptUnencryptedAssertions: switchOf(input, 'acceptUnencryptedAssertions') ?? false,
    requireSignedAssertions: switchOf(input, 'requireSignedAssertions') ?? false,
  });
  connection.state = isConfigured(connection) ? 'validating' : 'draft';
  await deps.db.getRepository(SsoConnectionEntity).insert(connection);
  return getConnection(deps.db, scope, connection.id);
}

export async function updateSamlConnection(deps: ConnectionDeps, scope: AccessScope, id: string, input: SamlConnectionInput): Promise<SsoConnectionEntity> {
  const current = await getConnection(deps.db, scope, id);
  if (isOidcConnectionType(current.connectionType)) throw ValidationError.field('id', 'not_a_saml_connection', `${current.id} is an OpenID Connect connection: change it with updateOidcConnection.`);
  const patch: Partial<SsoConnectionEntity> = { ...(await idpConfiguration(deps, input)), updatedAt: new Date() };
  if (input.name !== undefined) {
    const name = input.name.trim();
    if (!name || name.length > 200) throw ValidationError.field('name', 'invalid_name', 'Name the connection (1 to 200 characters).');
    patch.name = name;
  }
  if (input.connectionType !== undefined && input.connectionType !== current.connectionType) {
    patch.connectionType = connectionTypeOrThrow(input.connectionType);
    patch.mappingPreset = ownEntry(SAML_CONNECTION_TYPES, patch.connectionType)!;
    patch.attributeMapping = MAPPING_PRESETS[patch.mappingPreset];
  }
  if (input.attributeMapping) patch.attributeMapping = mergeMapping(patch.attributeMapping ?? current.attributeMapping, input.attributeMapping);
  for (const field of ['idpInitiatedEnabled', 'acceptUnencryptedAssertions', 'requireSignedAssertions'] as const) {
    const value = switchOf(input, field);
    if (value !== undefined) patch[field] = value;
  }
  const next = { ...current, ...patch };
  if (current.state !== 'inactive') patch.state = !isConfigured(next) ? 'draft' : current.state === 'draft' ? 'validating' : current.state;
  await deps.db.transaction(async (m) => {
    await m.getRepository(SsoConnectionEntity).update({ id: current.id }, patch);
    const events = [...certificateRenewedEvents(current, { ...current, ...patch } as SsoConnectionEntity)];
    if (patch.state === 'inactive' && current.state !== 'inactive') events.push(await connectionEvent(m, { ...current, ...patch } as SsoConnectionEntity, 'connection.deactivated'));
    await recordEvents(m, events);
  });
  return getConnection(deps.db, scope, id);
}

/** Inactive connections refuse sign-ins; re-enabling returns to `validating` until the next successful sign-in. */
export async function setConnectionEnabled(db: DataSource, scope: AccessScope, id: string, enabled: boolean): Promise<SsoConnectionEntity> {
  const current = await getConnection(db, scope, id);
  const state: ConnectionState = !enabled ? 'inactive' : !isConfigured(current) ? 'draft' : current.state === 'inactive' ? 'validating' : current.state;
  const updatedAt = new Date();
  await db.transaction(async (m) => {
    await m.getRepository(SsoConnectionEntity).update({ id: current.id }, { state, updatedAt });
    // Deactivated: a connection that could sign people in no longer can. Re-enabling is not activation: that
    // waits for the next successful sign-in (connection.activated).
    if (state === 'inactive' && current.state !== 'inactive') await recordEvents(m, [await connectionEvent(m, { ...current, state, updatedAt }, 'connection.deactivated')]);
  });
  return getConnection(db, scope, id);
}

/**
 * Marks a configured connection active without waiting for a first successful sign-in, with its
 * `connection.activated` event: only for a connection whose IdP Portico itself runs (the built-in test IdP).
 */
export async function activateConnection(db: DataSource, scope: AccessScope, id: string): Promise<SsoConnectionEntity> {
  const current = await getConnection(db, scope, id);
  if (current.state === 'active') return current;
  if (!isConfigured(current)) throw ValidationError.field('id', 'not_configured', 'The connection needs its IdP configuration first (SAML: entity ID, SSO URL and certificate; OIDC: issuer, endpoints, client ID and secret).');
  const updatedAt = new Date();
  await db.transaction(async (m) => {
    await m.getRepository(SsoConnectionEntity).update({ id: current.id }, { state: 'active', updatedAt });
    await recordEvents(m, [await connectionEvent(m, { ...current, state: 'active', updatedAt }, 'connection.activated')]);
  });
  return getConnection(db, scope, id);
}

/**
 * A new SP key pair for encrypted assertions; the private key is sealed before it is stored. Without a key, it
 * becomes the current one. With one, it becomes the NEXT key (replacing an earlier next one): published in the SP
 * metadata beside the current key and tried for decryption after it, so sign-ins keep working while the IdP moves
 * to the new certificate; `promoteSpEncryptionKey` then makes it current. Nothing breaks at any step.
 */
export async function generateSpEncryptionKey(deps: ConnectionDeps, scope: AccessScope, id: string): Promise<SsoConnectionEntity> {
  const current = await getConnection(deps.db, scope, id);
  const pair = await generateSpKeyPair(`Portico SP ${current.id}`);
  const sealed = deps.secrets.seal(pair.privateKey, spKeyContext(current.id));
  await deps.db.getRepository(SsoConnectionEntity).update(
    { id: current.id },
    current.spPrivateKeyEncrypted
      ? { spNextCertificate: pair.certificate, spNextPrivateKeyEncrypted: sealed, updatedAt: new Date() }
      : { spCertificate: pair.certificate, spPrivateKeyEncrypted: sealed, updatedAt: new Date() },
  );
  return getConnection(deps.db, scope, id);
}

/** The next SP key becomes current; the previous current key is discarded. */
export async function promoteSpEncryptionKey(db: DataSource, scope: AccessScope, id: string): Promise<SsoConnectionEntity> {
  const current = await getConnection(db, scope, id);
  if (!current.spNextCertificate || !current.spNextPrivateKeyEncrypted) {
    throw ValidationError.field('id', 'no_next_key', 'The connection has no next SP encryption key to promote: generate one first.');
  }
  // One statement, conditional on the next key still being the one read: two promotions can't both succeed.
  await db.query(
    `UPDATE connections SET sp_certificate = sp_next_certificate, sp_private_key_encrypted = sp_next_private_key_encrypted,
            sp_next_certificate = NULL, sp_next_private_key_encrypted = NULL, updated_at = now()
      WHERE id = $1 AND sp_next_certificate = $2`,
    [current.id, current.spNextCertificate],
  );
  return getConnection(db, scope, id);
}

/** Removes the SP keys: both (encryption off), or only the next one (a rollover abandoned). */
export async function removeSpEncryptionKey(db: DataSource, scope: AccessScope, id: string, which: 'all' | 'next' = 'all'): Promise<SsoConnectionEntity> {
  const current = await getConnection(db, scope, id);
  await db.getRepository(SsoConnectionEntity).update(
    { id: current.id },
    which === 'next'
      ? { spNextCertificate: null, spNextPrivateKeyEncrypted: null, updatedAt: new Date() }
      : { spCertificate: null, spPrivateKeyEncrypted: null, spNextCertificate: null, spNextPrivateKeyEncrypted: null, updatedAt: new Date() },
  );
  return getConnection(db, scope, id);
}

export interface CertificateUse {
  fingerprintSha256: string;
  role: 'IDP_SIGNING' | 'SP_ENCRYPTION';
  lastUsedAt: Date;
  signIns: number;
}

/** Which certificates the connection's successful sign-ins of the last `days` used: IdP signing and SP decryption. */
export async function certificateUsage(db: DataSource, connectionIds: readonly string[], days = 30, now = new Date()): Promise<Map<string, CertificateUse[]>> {
  const rows = (await db.query(
    `SELECT connection_id, fingerprint, role, max(authorized_at) AS last_used_at, count(*)::int AS sign_ins FROM (
       SELECT connection_id, idp_certificate_fingerprint AS fingerprint, 'IDP_SIGNING' AS role, authorized_at FROM sso_sessions
        WHERE connection_id = ANY($1) AND authorized_at > $2 AND idp_certificate_fingerprint IS NOT NULL
       UNION ALL
       SELECT connection_id, sp_key_fingerprint, 'SP_ENCRYPTION', authorized_at FROM sso_sessions
        WHERE connection_id = ANY($1) AND authorized_at > $2 AND sp_key_fingerprint IS NOT NULL
     ) used GROUP BY connection_id, fingerprint, role ORDER BY max(authorized_at) DESC`,
    [connectionIds, new Date(now.getTime() - days * 86_400_000)],
  )) as { connection_id: string; fingerprint: string; role: CertificateUse['role']; last_used_at: Date; sign_ins: number }[];
  const out = new Map<string, CertificateUse[]>(connectionIds.map((cid) => [cid, []]));
  for (const r of rows) out.get(r.connection_id)?.push({ fingerprintSha256: r.fingerprint, role: r.role, lastUsedAt: new Date(r.last_used_at), signIns: r.sign_ins });
  return out;
}

/** How often a connection's metadata URL is re-fetched, and how many connections one housekeeping run refreshes. */
export const METADATA_REFRESH = { everyMs: 24 * 3600_000, retryAfterFailureMs: 3600_000, perRun: 20 } as const;

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((pem) => b.some((other) => sameCertificate(pem, other)));

/**
 * Housekeeping: re-fetches the metadata URL of connections configured from one, oldest refresh first, and takes up
 * the IdP's signing certificates (and SSO URL) as the metadata now lists them: an IdP that publishes its next
 * certificate before switching is followed with no one touching the connection. Metadata naming another entity ID
 * is not applied (that is a different IdP, for a person to decide). Each outcome is kept on the connection, and a
 * certificate change records `connection.saml_certificate_renewed`. Answers how many connections changed.
 */
export async function refreshIdpMetadata(deps: Pick<ConnectionDeps, 'db' | 'config'>, now = new Date(), fetch: typeof fetchMetadata = fetchMetadata): Promise<number> {
  const due = await deps.db.getRepository(SsoConnectionEntity).createQueryBuilder('conn')
    .where('conn.idp_metadata_url IS NOT NULL')
    .andWhere(`(conn.idp_metadata_refreshed_at IS NULL
      OR (conn.idp_metadata_refresh_error IS NULL AND conn.idp_metadata_refreshed_at < :fresh)
      OR (conn.idp_metadata_refresh_error IS NOT NULL AND conn.idp_metadata_refreshed_at < :retry))`, {
      fresh: new Date(now.getTime() - METADATA_REFRESH.everyMs), retry: new Date(now.getTime() - METADATA_REFRESH.retryAfterFailureMs),
    })
    .orderBy('conn.idp_metadata_refreshed_at', 'ASC', 'NULLS FIRST').take(METADATA_REFRESH.perRun).getMany();
  let changed = 0;
  for (const connection of due) {
    // Claim the refresh first, conditional on the time read: of several replicas running housekeeping, one fetches.
    const [, claimed] = (await deps.db.query(
      'UPDATE connections SET idp_metadata_refreshed_at = $2 WHERE id = $1 AND idp_metadata_refreshed_at IS NOT DISTINCT FROM $3',
      [connection.id, now, connection.idpMetadataRefreshedAt],
    )) as [unknown, number];
    if (claimed !== 1) continue;
    let metadata;
    try {
      metadata = parseIdpMetadata(await fetch(connection.idpMetadataUrl!, { allowPrivate: deps.config.allowPrivateUrls }));
      if (connection.idpEntityId && metadata.entityId !== connection.idpEntityId) {
        throw new IdpMetadataError('no_entity_id', `The metadata now names another identity provider (${metadata.entityId.slice(0, 200)}, not ${connection.idpEntityId}); update the connection by hand if that is intended`);
      }
    } catch (err) {
      const message = err instanceof Error ? err.message.replace(/^metadataUrl: /, '') : String(err);
      await deps.db.getRepository(SsoConnectionEntity).update({ id: connection.id }, { idpMetadataRefreshedAt: now, idpMetadataRefreshError: message.slice(0, 1000) });
      continue;
    }
    const renewed = !sameList(metadata.certificates, connection.idpCertificates);
    await deps.db.transaction(async (manager) => {
      await manager.getRepository(SsoConnectionEntity).update({ id: connection.id }, {
        idpMetadataRefreshedAt: now, idpMetadataRefreshError: null,
        ...(renewed ? { idpCertificates: metadata.certificates, updatedAt: now } : {}),
        ...(metadata.ssoUrl !== connection.idpSsoUrl ? { idpSsoUrl: metadata.ssoUrl, updatedAt: now } : {}),
      });
      if (renewed) {
        await recordEvents(manager, certificateRenewedEvents(connection, { ...connection, idpCertificates: metadata.certificates } as SsoConnectionEntity, now));
      }
    });
    if (renewed || metadata.ssoUrl !== connection.idpSsoUrl) changed += 1;
  }
  return changed;
}

export async function deleteConnection(db: DataSource, scope: AccessScope, id: string): Promise<SsoConnectionEntity> {
  const current = await getConnection(db, scope, id);
  await db.transaction(async (m) => {
    // `state` is the state before deletion (contract §5.2).
    const event = await connectionEvent(m, current, 'connection.deleted');
    await m.getRepository(SsoConnectionEntity).delete({ id: current.id });
    await recordEvents(m, [event]);
  });
  return current;
}

/** The connection that signs an organization's users in: the oldest active one, else the oldest still validating. */
export async function signInConnectionFor(db: DataSource, organizationId: string): Promise<SsoConnectionEntity | null> {
  const connections = await db.getRepository(SsoConnectionEntity).find({ where: { organizationId }, order: { id: 'ASC' } });
  return connections.find((c) => c.state === 'active') ?? connections.find((c) => c.state === 'validating') ?? null;
}

/** A connection by ID with no tenant check, for what is public by design (its SP metadata). */
export async function publicConnection(db: DataSource, id: string): Promise<SsoConnectionEntity | null> {
  return db.getRepository(SsoConnectionEntity).findOneBy({ id });
}
