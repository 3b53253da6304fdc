import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { OidcDashboardError, OidcErrorReason } from '../../auth/oidc';
import type { SamlDashboardError, SamlErrorReason } from '../../auth/saml';

export type SsoSessionState = 'STARTED' | 'AUTHORIZED' | 'SUCCESSFUL' | 'FAILED';
export type SsoSessionOrigin = 'SP' | 'IDP';

/** The WorkOS profile (contract §2.4) as issued for a session. */
export interface ProfileRecord {
  object: 'profile';
  id: string;
  idp_id: string;
  organization_id: string;
  connection_id: string;
  connection_type: string;
  email: string;
  first_name: string;
  last_name: string;
  name: string;
  groups: string[];
  custom_attributes: Record<string, unknown>;
  raw_attributes: Record<string, unknown>;
}

/** One sign-in attempt through a connection, SP- or IdP-initiated, successful or not. */
@Entity('sso_sessions')
export class SsoSessionEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'environment_id' }) environmentId: string;
  /** Null for a sign-in through an OAuth provider (Google, Microsoft, GitHub, Apple): `provider` names it. */
  @Column('text', { name: 'organization_id', nullable: true }) organizationId: string;
  @Column('text', { name: 'connection_id', nullable: true }) connectionId: string;
  @Column('text', { nullable: true }) provider: string | null;
  /** An OAuth/OIDC attempt's raw exchange: authorization request, token response (tokens redacted), ID-token claims. */
  @Column('jsonb', { name: 'oauth_exchange', nullable: true }) oauthExchange: Record<string, unknown> | null;
  /** The provider's tokens, sealed, until the application's code exchange hands them over (then cleared). */
  @Column('text', { name: 'oauth_tokens_sealed', nullable: true }) oauthTokensSealed: string | null;
  @Column('text') origin: SsoSessionOrigin;
  @Column('text') state: SsoSessionState;
  /** The AuthnRequest ID (SP-initiated): the response's InResponseTo must name it. */
  @Column('text', { name: 'request_id', nullable: true }) requestId: string | null;
  @Column('text', { name: 'redirect_uri', nullable: true }) redirectUri: string | null;
  /** The app's `state` parameter, returned unchanged. */
  @Column('text', { name: 'client_state', nullable: true }) clientState: string | null;
  @Column('text', { name: 'code_challenge', nullable: true }) codeChallenge: string | null;
  @Column('text', { name: 'saml_request', nullable: true }) samlRequest: string | null;
  @Column('text', { name: 'saml_response', nullable: true }) samlResponse: string | null;
  /** The response's size as received (UTF-8 bytes of the XML); `samlResponse` may hold only its start. */
  @Column('integer', { name: 'saml_response_bytes', nullable: true }) samlResponseBytes: number | null;
  /** The stored response was cut to MAX_STORED_FAILED_RESPONSE_CHARS (a failed attempt). */
  @Column('boolean', { name: 'saml_response_truncated', default: false }) samlResponseTruncated: boolean;
  /** An encrypted sign-in's assertion as decrypted (XML), under the same caps as `samlResponse`. */
  @Column('text', { name: 'decrypted_assertion', nullable: true }) decryptedAssertion: string | null;
  /** SHA-256 fingerprint of the SP certificate whose key decrypted the assertion (current or next). */
  @Column('text', { name: 'sp_key_fingerprint', nullable: true }) spKeyFingerprint: string | null;
  /** SHA-256 fingerprint of the IdP certificate whose key verified the signature. */
  @Column('text', { name: 'idp_certificate_fingerprint', nullable: true }) idpCertificateFingerprint: string | null;
  @Column('text', { nullable: true }) email: string | null;
  @Column('text', { name: 'first_name', nullable: true }) firstName: string | null;
  @Column('text', { name: 'last_name', nullable: true }) lastName: string | null;
  @Column('text', { name: 'idp_id', nullable: true }) idpId: string | null;
  @Column('jsonb', { nullable: true }) profile: ProfileRecord | null;
  @Column('text', { nullable: true }) error: SamlDashboardError | OidcDashboardError | null;
  @Column('text', { name: 'error_reason', nullable: true }) errorReason: SamlErrorReason | OidcErrorReason | null;
  @Column('text', { name: 'error_message', nullable: true }) errorMessage: string | null;
  @Column('jsonb', { name: 'error_details', nullable: true }) errorDetails: Record<string, unknown> | null;
  /** Started by the dashboard's "Test sign-in": ends on Portico's result page, never with a code for the app. */
  @Column('boolean', { name: 'test_sign_in', default: false }) testSignIn: boolean;
  @Column('text', { nullable: true }) ip: string | null;
  @Column('text', { name: 'user_agent', nullable: true }) userAgent: string | null;
  @Column('timestamptz', { name: 'started_at' }) startedAt: Date;
  @Column('timestamptz', { name: 'authorized_at', nullable: true }) authorizedAt: Date | null;
  @Column('timestamptz', { name: 'succeeded_at', nullable: true }) succeededAt: Date | null;
  @Column('timestamptz', { name: 'failed_at', nullable: true }) failedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
