import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { AttributeMapping, MappingPreset } from '../../auth/saml';

export type ConnectionState = 'draft' | 'validating' | 'active' | 'inactive';

/** An SSO connection of an organization, SAML or OpenID Connect (oidc_* columns). SAML: the IdP's side (entity ID, SSO URL, certificates) and Portico's (SP keys). */
@Entity('connections')
export class SsoConnectionEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'environment_id' }) environmentId: string;
  @Column('text', { name: 'organization_id' }) organizationId: string;
  @Column('text') name: string;
  @Column('text', { name: 'connection_type' }) connectionType: string;
  @Column('text') state: ConnectionState;
  @Column('text', { name: 'idp_entity_id', nullable: true }) idpEntityId: string | null;
  @Column('text', { name: 'idp_sso_url', nullable: true }) idpSsoUrl: string | null;
  /** PEM certificates; more than one during a rotation. */
  @Column('jsonb', { name: 'idp_certificates' }) idpCertificates: string[];
  @Column('text', { name: 'idp_metadata_url', nullable: true }) idpMetadataUrl: string | null;
  @Column('text', { name: 'mapping_preset' }) mappingPreset: MappingPreset;
  @Column('jsonb', { name: 'attribute_mapping' }) attributeMapping: AttributeMapping;
  @Column('text', { name: 'sp_certificate', nullable: true }) spCertificate: string | null;
  /** The SP private key, sealed by SecretBox; never leaves the server. */
  @Column('text', { name: 'sp_private_key_encrypted', nullable: true }) spPrivateKeyEncrypted: string | null;
  /** With an SP key, still accept plain assertions: for the rollout, until the IdP encrypts. Off by default. */
  @Column('boolean', { name: 'accept_unencrypted_assertions', default: false }) acceptUnencryptedAssertions: boolean;
  /** The SP key pair that becomes current on promotion: published in SP metadata and tried for decryption meanwhile. */
  @Column('text', { name: 'sp_next_certificate', nullable: true }) spNextCertificate: string | null;
  @Column('text', { name: 'sp_next_private_key_encrypted', nullable: true }) spNextPrivateKeyEncrypted: string | null;
  /** Refuse a response whose only signature is on the Response; SP metadata then says WantAssertionsSigned. */
  @Column('boolean', { name: 'require_signed_assertions', default: false }) requireSignedAssertions: boolean;
  @Column('boolean', { name: 'idp_initiated_enabled' }) idpInitiatedEnabled: boolean;
  /** When the metadata URL was last re-fetched by housekeeping, and why the last attempt failed (null when it worked). */
  @Column('timestamptz', { name: 'idp_metadata_refreshed_at', nullable: true }) idpMetadataRefreshedAt: Date | null;
  @Column('text', { name: 'idp_metadata_refresh_error', nullable: true }) idpMetadataRefreshError: string | null;
  /** OpenID Connect connections (GenericOIDC, OktaOIDC, EntraIdOIDC): the IdP's side and Portico's registration there. */
  @Column('text', { name: 'oidc_discovery_url', nullable: true }) oidcDiscoveryUrl: string | null;
  @Column('text', { name: 'oidc_issuer', nullable: true }) oidcIssuer: string | null;
  @Column('text', { name: 'oidc_authorization_endpoint', nullable: true }) oidcAuthorizationEndpoint: string | null;
  @Column('text', { name: 'oidc_token_endpoint', nullable: true }) oidcTokenEndpoint: string | null;
  @Column('text', { name: 'oidc_jwks_uri', nullable: true }) oidcJwksUri: string | null;
  @Column('text', { name: 'oidc_client_id', nullable: true }) oidcClientId: string | null;
  /** Sealed by SecretBox; write-only (the API says only whether it is set). */
  @Column('text', { name: 'oidc_client_secret_sealed', nullable: true }) oidcClientSecretSealed: string | null;
  @Column('jsonb', { name: 'oidc_scopes', nullable: true }) oidcScopes: string[] | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
