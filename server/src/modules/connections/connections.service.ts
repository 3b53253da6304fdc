import type { DataSource, EntityManager } from 'typeorm';
import { isHttpUrl, type FieldError } from '@portico/shared';
import { IdpMetadataError, MAPPING_PRESETS, parseCertificate, parseIdpMetadata, toPem, type AttributeMapping, type MappingPreset } from '../../auth/saml';
import type { Config } from '../../config';
import { NotFoundError, ValidationError } from '../../errors';
import { fetchMetadata } from '../../lib/fetch-metadata';
import { newId } from '../../lib/ids';
import { isOwnKey, ownEntry } from '../../lib/own-keys';
import type { SecretBox } from '../../lib/secret-box';
import { generateSpKeyPair } from '../../lib/sp-keys';
import { restrict, type AccessScope } from '../environments/access-scope';
import { getOrganization } from '../organizations/organizations.service';
import { SsoConnectionEntity, type ConnectionState } from './connection.entity';
import { recordEvents } from '../events/events.service';
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

function isConfigured(c: Pick<SsoConnectionEntity, 'idpEntityId' | 'idpSsoUrl' | 'idpCertificates'>): boolean {
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
      return { idpEntityId: metadata.entityId, idpSsoUrl: metadata.ssoUrl, idpCertificates: metadata.certificates, idpMetadataUrl: input.metadataUrl?.trim() || null };
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

function mergeMapping(base: AttributeMapping, patch: Partial<AttributeMapping> | undefined): AttributeMapping {
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
function switchOf(input: SamlConnectionInput, field: 'idpInitiatedEnabled' | 'acceptUnencryptedAssertions'): boolean | undefined {
  const value = input[field];
  if (value === null) throw ValidationError.field(field, 'must_be_boolean', 'Pass true or false, or leave the field out.');
  return value;
}

function connectionTypeOrThrow(type: string | undefined): string {
  const value = type ?? 'GenericSAML';
  // Own keys only: `in` would accept inherited names (constructor, toString) and hand a function to TypeORM.
  if (!isOwnKey(SAML_CONNECTION_TYPES, value)) throw ValidationError.field('connectionType', 'invalid_connection_type', `Use one of: ${Object.keys(SAML_CONNECTION_TYPES).join(', ')}.`);
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
  });
  connection.state = isConfigured(connection) ? 'validating' : 'draft';
  await deps.db.getRepository(SsoConnectionEntity).insert(connection);
  return getConnection(deps.db, scope, connection.id);
}

export async function updateSamlConnection(deps: ConnectionDeps, scope: AccessScope, id: string, input: SamlConnectionInput): Promise<SsoConnectionEntity> {
  const current = await getConnection(deps.db, scope, id);
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
  for (const field of ['idpInitiatedEnabled', 'acceptUnencryptedAssertions'] as const) {
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

/** A new SP key pair for encrypted assertions; the private key is sealed before it is stored. Replaces any previous pair. */
export async function generateSpEncryptionKey(deps: ConnectionDeps, scope: AccessScope, id: string): Promise<SsoConnectionEntity> {
  const current = await getConnection(deps.db, scope, id);
  const pair = await generateSpKeyPair(`Portico SP ${current.id}`);
  await deps.db.getRepository(SsoConnectionEntity).update(
    { id: current.id },
    { spCertificate: pair.certificate, spPrivateKeyEncrypted: deps.secrets.seal(pair.privateKey, spKeyContext(current.id)), updatedAt: new Date() },
  );
  return getConnection(deps.db, scope, id);
}

export async function removeSpEncryptionKey(db: DataSource, scope: AccessScope, id: string): Promise<SsoConnectionEntity> {
  const current = await getConnection(db, scope, id);
  await db.getRepository(SsoConnectionEntity).update({ id: current.id }, { spCertificate: null, spPrivateKeyEncrypted: null, updatedAt: new Date() });
  return getConnection(db, scope, id);
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
