import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ArrayMaxSize, IsOptional, MaxLength } from 'class-validator';
import { isOidcConnectionType, OIDC_CONNECTION_TYPES } from '../../auth/oidc/claim-mapping';
import { summarizeCertificate, type AttributeMapping } from '../../auth/saml';
import { oauthCallbackUrl } from '../configuration/configuration.service';
import { Connection } from '../../graphql/pagination';
import type { SsoConnectionEntity } from './connection.entity';
import { PRESET_CONNECTION_TYPES, SAML_CONNECTION_TYPES, spEndpoints } from './connections.service';

const CONNECTION_TYPES = `One of: ${Object.keys(SAML_CONNECTION_TYPES).sort().join(', ')}`;

export const ConnectionStateEnum = { DRAFT: 'draft', VALIDATING: 'validating', ACTIVE: 'active', INACTIVE: 'inactive' } as const;
registerEnumType(ConnectionStateEnum, { name: 'ConnectionState', description: 'draft (IdP not configured) → validating → active after the first successful sign-in; inactive when turned off' });

@ObjectType('Certificate', { description: 'An X.509 certificate as an IT admin compares it with their IdP console' })
export class Certificate {
  @Field() subject: string;
  @Field() issuer: string;
  @Field({ description: 'SHA-256 of the DER, colon-separated hex' }) fingerprintSha256: string;
  @Field() notBefore: Date;
  @Field() notAfter: Date;
  @Field() expired: boolean;
  @Field() pem: string;
}

export function presentCertificate(pem: string, now = new Date()): Certificate {
  const s = summarizeCertificate(pem);
  return Object.assign(new Certificate(), {
    subject: s.subject, issuer: s.issuer, fingerprintSha256: s.fingerprintSha256, notBefore: new Date(s.validFrom), notAfter: new Date(s.validTo),
    expired: new Date(s.validTo).getTime() < now.getTime(), pem: s.pem,
  });
}

export const CertificateRoleEnum = { IDP_SIGNING: 'IDP_SIGNING', SP_ENCRYPTION: 'SP_ENCRYPTION' } as const;
registerEnumType(CertificateRoleEnum, { name: 'CertificateRole', description: 'IDP_SIGNING: verified the IdP’s signature; SP_ENCRYPTION: decrypted the assertion' });

@ObjectType('CertificateUse', { description: 'A certificate the connection’s successful sign-ins used in the last 30 days' })
export class CertificateUseType {
  @Field({ description: 'SHA-256 of the DER, colon-separated hex: compare with certificates and the SP certificates' }) fingerprintSha256: string;
  @Field(() => CertificateRoleEnum) role: string;
  @Field() lastUsedAt: Date;
  @Field(() => Int) signIns: number;
}

@ObjectType('AttributeMapping', { description: 'For each profile field, the SAML attributes read in order (the first present wins); $NameID is the subject' })
export class AttributeMappingType implements AttributeMapping {
  @Field(() => [String]) idpId: string[];
  @Field(() => [String]) email: string[];
  @Field(() => [String]) firstName: string[];
  @Field(() => [String]) lastName: string[];
  @Field(() => [String]) groups: string[];
}

@InputType()
export class AttributeMappingInput implements Partial<AttributeMapping> {
  @Field(() => [String], { nullable: true }) idpId?: string[];
  @Field(() => [String], { nullable: true }) email?: string[];
  @Field(() => [String], { nullable: true }) firstName?: string[];
  @Field(() => [String], { nullable: true }) lastName?: string[];
  @Field(() => [String], { nullable: true }) groups?: string[];
}

@ObjectType('OidcConfiguration', { description: 'An OpenID Connect connection: the IdP’s endpoints and Portico’s registration there (the client secret is write-only)' })
export class OidcConfiguration {
  @Field(() => String, { nullable: true, description: 'The discovery document the endpoints were read from; null when typed by hand' }) discoveryUrl: string | null;
  @Field(() => String, { nullable: true }) issuer: string | null;
  @Field(() => String, { nullable: true }) authorizationEndpoint: string | null;
  @Field(() => String, { nullable: true }) tokenEndpoint: string | null;
  @Field(() => String, { nullable: true }) jwksUri: string | null;
  @Field(() => String, { nullable: true }) clientId: string | null;
  @Field({ description: 'Whether a client secret is stored (it is never returned)' }) clientSecretSet: boolean;
  @Field(() => [String], { description: 'Asked for at every sign-in; openid always included' }) scopes: string[];
  @Field({ description: 'Register this at the IdP as the redirect (sign-in callback) URI' }) redirectUri: string;
}

@ObjectType('SsoConnection', { description: "An SSO connection between an organization's identity provider and Portico: SAML, or OpenID Connect (oidc set)" })
export class SsoConnection {
  @Field(() => ID) id: string;
  organizationId: string;
  /** Not in the schema: field resolvers check the role in the workspace that owns this connection. */
  environmentId: string;
  @Field() name: string;
  @Field({ description: 'The WorkOS connection_type, e.g. OktaSAML' }) connectionType: string;
  @Field(() => ConnectionStateEnum) state: string;
  @Field(() => String, { nullable: true }) idpEntityId: string | null;
  @Field(() => String, { nullable: true }) idpSsoUrl: string | null;
  @Field(() => String, { nullable: true }) idpMetadataUrl: string | null;
  @Field(() => [Certificate], { description: 'The IdP signing certificates Portico accepts' }) certificates: Certificate[];
  @Field({ description: 'Give this to the IdP as the ACS (reply) URL' }) acsUrl: string;
  @Field({ description: 'Give this to the IdP as the SP entity ID (audience)' }) spEntityId: string;
  @Field() spMetadataUrl: string;
  @Field(() => Certificate, { nullable: true, description: 'The IdP encrypts assertions to this certificate, when set' }) spEncryptionCertificate: Certificate | null;
  @Field(() => Certificate, { nullable: true, description: 'The next SP encryption certificate during a key rollover: published in the SP metadata beside the current one and tried for decryption after it, until promoteSpEncryptionKey makes it current' }) spNextEncryptionCertificate: Certificate | null;
  @Field(() => Date, { nullable: true, description: 'When housekeeping last re-fetched the metadata URL (daily; hourly after a failure)' }) idpMetadataRefreshedAt: Date | null;
  @Field(() => String, { nullable: true, description: 'Why the last re-fetch of the metadata URL failed; null when it worked' }) idpMetadataRefreshError: string | null;
  @Field({ description: 'With an SP encryption certificate, still accept unencrypted assertions (for the rollout; turn off once the IdP encrypts). Without one, every assertion is accepted unencrypted.' }) acceptUnencryptedAssertions: boolean;
  @Field({ description: 'Refuse responses whose only signature is on the Response, and say WantAssertionsSigned in the SP metadata. Off: a signed Response covering its one assertion is accepted (Shibboleth’s default).' }) requireSignedAssertions: boolean;
  @Field({ deprecationReason: 'Use mappingPresetConnectionType (WorkOS connection-type names, e.g. AzureSAML rather than ENTRA_ID)', description: 'The preset the mapping started from, by its internal key (ENTRA_ID, OKTA …)' }) mappingPreset: string;
  @Field({ description: 'The connection type whose attribute-mapping preset the mapping started from, named as connectionType is (e.g. AzureSAML)' }) mappingPresetConnectionType: string;
  @Field(() => AttributeMappingType) attributeMapping: AttributeMappingType;
  @Field() idpInitiatedEnabled: boolean;
  @Field(() => OidcConfiguration, { nullable: true, description: 'Set for OpenID Connect connections (GenericOIDC, OktaOIDC, EntraIdOIDC); null for SAML' }) oidc: OidcConfiguration | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@ObjectType()
export class SsoConnectionConnection extends Connection(SsoConnection) {}

/** The preset named as connectionType is: an OIDC connection's presets are the OIDC types'. */
function presetConnectionType(entity: SsoConnectionEntity): string {
  if (!isOidcConnectionType(entity.connectionType)) return PRESET_CONNECTION_TYPES[entity.mappingPreset];
  return Object.entries(OIDC_CONNECTION_TYPES).find(([, t]) => t.preset === entity.mappingPreset)?.[0] ?? entity.connectionType;
}

function presentOidc(entity: SsoConnectionEntity, publicUrl: string): OidcConfiguration {
  return Object.assign(new OidcConfiguration(), {
    discoveryUrl: entity.oidcDiscoveryUrl, issuer: entity.oidcIssuer, authorizationEndpoint: entity.oidcAuthorizationEndpoint, tokenEndpoint: entity.oidcTokenEndpoint,
    jwksUri: entity.oidcJwksUri, clientId: entity.oidcClientId, clientSecretSet: entity.oidcClientSecretSealed !== null, scopes: entity.oidcScopes ?? [], redirectUri: oauthCallbackUrl(publicUrl),
  });
}

export function presentConnection(entity: SsoConnectionEntity, publicUrl: string): SsoConnection {
  const endpoints = spEndpoints(publicUrl, entity.id);
  return Object.assign(new SsoConnection(), {
    id: entity.id, organizationId: entity.organizationId, environmentId: entity.environmentId, name: entity.name, connectionType: entity.connectionType, state: entity.state,
    idpEntityId: entity.idpEntityId, idpSsoUrl: entity.idpSsoUrl, idpMetadataUrl: entity.idpMetadataUrl,
    certificates: entity.idpCertificates.map((pem) => presentCertificate(pem)),
    acsUrl: endpoints.acsUrl, spEntityId: endpoints.spEntityId, spMetadataUrl: endpoints.metadataUrl,
    spEncryptionCertificate: entity.spCertificate ? presentCertificate(entity.spCertificate) : null,
    spNextEncryptionCertificate: entity.spNextCertificate ? presentCertificate(entity.spNextCertificate) : null,
    idpMetadataRefreshedAt: entity.idpMetadataRefreshedAt ?? null, idpMetadataRefreshError: entity.idpMetadataRefreshError ?? null,
    acceptUnencryptedAssertions: entity.acceptUnencryptedAssertions, requireSignedAssertions: entity.requireSignedAssertions,
    mappingPreset: entity.mappingPreset, mappingPresetConnectionType: presetConnectionType(entity),
    oidc: isOidcConnectionType(entity.connectionType) ? presentOidc(entity, publicUrl) : null, attributeMapping: Object.assign(new AttributeMappingType(), entity.attributeMapping),
    idpInitiatedEnabled: entity.idpInitiatedEnabled, createdAt: entity.createdAt, updatedAt: entity.updatedAt,
  });
}

@InputType({ description: 'IdP configuration from one source: metadata XML, a metadata URL, or the fields by hand' })
class SamlConfigurationFields {
  @Field({ nullable: true }) @IsOptional() @MaxLength(1_000_000) metadataXml?: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(2000) metadataUrl?: string;
  @Field({ nullable: true }) idpEntityId?: string;
  @Field({ nullable: true }) idpSsoUrl?: string;
  @Field(() => [String], { nullable: true, description: 'PEM certificates; replaces the list' }) @IsOptional() @ArrayMaxSize(5) idpCertificates?: string[];
  @Field({ nullable: true }) idpInitiatedEnabled?: boolean;
  @Field({ nullable: true, description: 'During an encryption rollout: accept unencrypted assertions although the connection has an SP key' }) acceptUnencryptedAssertions?: boolean;
  @Field({ nullable: true, description: 'Refuse responses whose only signature is on the Response (SP metadata then says WantAssertionsSigned)' }) requireSignedAssertions?: boolean;
  @Field(() => AttributeMappingInput, { nullable: true }) attributeMapping?: AttributeMappingInput;
}

@InputType()
export class CreateSsoConnectionInput extends SamlConfigurationFields {
  @Field(() => ID) organizationId: string;
  @Field({ nullable: true, description: 'Defaults to the organization’s name' }) name?: string;
  @Field({ nullable: true, description: `The WorkOS connection_type; defaults to GenericSAML. ${CONNECTION_TYPES}` }) connectionType?: string;
}

@InputType()
export class UpdateSsoConnectionInput extends SamlConfigurationFields {
  @Field(() => ID) id: string;
  @Field({ nullable: true }) name?: string;
  @Field({ nullable: true, description: `The WorkOS connection_type; changing it resets the attribute mapping to its preset. ${CONNECTION_TYPES}` }) connectionType?: string;
}

/** The input of the deprecated createSamlConnection (same fields as CreateSsoConnectionInput). */
@InputType({ description: 'Deprecated with createSamlConnection: use CreateSsoConnectionInput with createSsoConnection' })
export class CreateSamlConnectionInput extends CreateSsoConnectionInput {}

/** The input of the deprecated updateSamlConnection (same fields as UpdateSsoConnectionInput). */
@InputType({ description: 'Deprecated with updateSamlConnection: use UpdateSsoConnectionInput with updateSsoConnection' })
export class UpdateSamlConnectionInput extends UpdateSsoConnectionInput {}

@InputType({ description: 'An OpenID Connect connection: a discovery URL (its endpoints are read from it) or the endpoints by hand, and Portico’s client registration at the IdP' })
class OidcConfigurationFields {
  @Field({ nullable: true, description: 'The IdP’s issuer URL or its /.well-known/openid-configuration; fetched through the SSRF guard, and the issuer it states must match' }) @IsOptional() @MaxLength(2000) discoveryUrl?: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(2000) issuer?: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(2000) authorizationEndpoint?: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(2000) tokenEndpoint?: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(2000) jwksUri?: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(256) clientId?: string;
  @Field({ nullable: true, description: 'Write-only: sealed at rest, never returned (clientSecretSet says whether one is stored)' }) @IsOptional() @MaxLength(2048) clientSecret?: string;
  @Field(() => [String], { nullable: true, description: 'Defaults to openid profile email; openid is always included' }) @IsOptional() @ArrayMaxSize(20) scopes?: string[];
  @Field(() => AttributeMappingInput, { nullable: true, description: 'ID-token claims read for each profile field, in order' }) claimMapping?: AttributeMappingInput;
}

@InputType()
export class CreateOidcConnectionInput extends OidcConfigurationFields {
  @Field(() => ID) organizationId: string;
  @Field({ nullable: true, description: 'Defaults to the organization’s name' }) name?: string;
  @Field({ nullable: true, description: 'GenericOIDC (default), OktaOIDC or EntraIdOIDC: the claim-mapping preset' }) connectionType?: string;
}

@InputType()
export class UpdateOidcConnectionInput extends OidcConfigurationFields {
  @Field(() => ID) id: string;
  @Field({ nullable: true }) name?: string;
  @Field({ nullable: true, description: 'GenericOIDC, OktaOIDC or EntraIdOIDC; changing it resets the claim mapping to its preset' }) connectionType?: string;
}
