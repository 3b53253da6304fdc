import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../graphql/pagination';
import type { SsoSessionEntity } from './sso-session.entity';
import { SAML_ERROR_KINDS } from './saml-error-kinds';
import { OIDC_ERROR_KINDS } from './oidc-error-kinds';

/** What a session's details page shows beyond a list row. */
export type SessionDetail = Pick<SsoSessionEntity, 'errorDetails' | 'samlRequest' | 'samlResponse' | 'samlResponseBytes' | 'samlResponseTruncated' | 'redirectUri' | 'decryptedAssertion' | 'profile' | 'oauthExchange'>;

export const detailOf = (e: SessionDetail): SessionDetail => ({
  errorDetails: e.errorDetails, samlRequest: e.samlRequest, samlResponse: e.samlResponse, samlResponseBytes: e.samlResponseBytes ?? null,
  samlResponseTruncated: e.samlResponseTruncated ?? false, redirectUri: e.redirectUri, decryptedAssertion: e.decryptedAssertion ?? null,
  profile: e.profile ?? null, oauthExchange: e.oauthExchange ?? null,
});

export const SsoSessionStateEnum = { STARTED: 'STARTED', AUTHORIZED: 'AUTHORIZED', SUCCESSFUL: 'SUCCESSFUL', FAILED: 'FAILED' } as const;
export const SsoSessionOriginEnum = { SP: 'SP', IDP: 'IDP' } as const;
export const SamlErrorKindEnum = {
  INVALID_ATTRIBUTES: 'INVALID_ATTRIBUTES',
  INVALID_X509_CERTIFICATE: 'INVALID_X509_CERTIFICATE',
  MALFORMED_SAML_RESPONSE: 'MALFORMED_SAML_RESPONSE',
  PROFILE_NOT_ALLOWED_OUTSIDE_ORGANIZATION: 'PROFILE_NOT_ALLOWED_OUTSIDE_ORGANIZATION',
  DECRYPTION_FAILED: 'DECRYPTION_FAILED',
  OAUTH_PROVIDER_ERROR: 'OAUTH_PROVIDER_ERROR',
  INVALID_ID_TOKEN: 'INVALID_ID_TOKEN',
  INVALID_CLAIMS: 'INVALID_CLAIMS',
  INVALID_STATE: 'INVALID_STATE',
} as const;
registerEnumType(SsoSessionStateEnum, { name: 'SsoSessionState', description: 'STARTED → AUTHORIZED (code sent to the app) → SUCCESSFUL (code exchanged), or FAILED' });
registerEnumType(SsoSessionOriginEnum, { name: 'SsoSessionOrigin', description: 'SP: started by the application; IDP: started from the identity provider' });
registerEnumType(SamlErrorKindEnum, {
  name: 'SamlErrorKind',
  description: 'The errors of a failed sign-in: SAML’s five, then OAuth/OIDC’s (the name is v1’s); each value’s description is the dashboard’s label (first line), then its causes',
  valuesConfig: Object.fromEntries(Object.entries({ ...SAML_ERROR_KINDS, ...OIDC_ERROR_KINDS }).map(([kind, { label, causes }]) => [kind, { description: `${label}\n${causes}` }])),
});

/** A STARTED session with no response after this long is shown as timed out. */
export const SESSION_TIMEOUT_MS = 5 * 60_000;

@ObjectType('SsoSession', { description: 'One sign-in attempt through a connection' })
export class SsoSession {
  @Field(() => ID) id: string;
  @Field(() => ID) connectionId: string;
  @Field(() => ID) organizationId: string;
  /** Not in the schema: field resolvers check the role in the workspace that owns this session. */
  environmentId: string;
  @Field(() => SsoSessionStateEnum) state: string;
  @Field(() => SsoSessionOriginEnum) origin: string;
  @Field(() => String, { nullable: true, description: 'An OIDC connection’s sign-in names no provider; set only on sessions through an OAuth provider (GoogleOAuth …), which are OAuthSession' }) provider: string | null;
  @Field({ description: 'STARTED for more than 5 minutes without a response' }) timedOut: boolean;
  @Field() createdAt: Date;
  @Field(() => String, { nullable: true }) email: string | null;
  @Field(() => String, { nullable: true }) firstName: string | null;
  @Field(() => String, { nullable: true }) lastName: string | null;
  @Field(() => String, { nullable: true }) idpId: string | null;
  @Field(() => SamlErrorKindEnum, { nullable: true }) error: string | null;
  @Field(() => String, { nullable: true, description: 'The precise reason, e.g. invalid_audience or certificate_expired' }) errorReason: string | null;
  @Field(() => String, { nullable: true }) errorMessage: string | null;
  /**
   * Not in the schema as plain properties: errorDetails, samlRequest, samlResponse, samlResponseBytes,
   * samlResponseTruncated and redirectUri are field resolvers (sessions.resolver.ts). A list reads only its
   * columns (the raw SAML can be megabytes a row); the detail of the rows a query asks for is loaded in one batch.
   */
  detail: SessionDetail | null;
  @Field(() => String, { nullable: true, description: 'SHA-256 fingerprint of the SP encryption certificate whose key decrypted the assertion (current or next, during a key rollover)' }) spKeyFingerprint: string | null;
  @Field(() => String, { nullable: true, description: 'SHA-256 fingerprint of the IdP certificate whose key verified the signature' }) idpCertificateFingerprint: string | null;
  @Field({ description: 'Started by the dashboard’s Test sign-in: it ends on Portico’s result page, and no code goes to the app' }) testSignIn: boolean;
  @Field() startedAt: Date;
  @Field(() => Date, { nullable: true }) authorizedAt: Date | null;
  @Field(() => Date, { nullable: true }) succeededAt: Date | null;
  @Field(() => Date, { nullable: true }) failedAt: Date | null;
}

@ObjectType()
export class SsoSessionConnection extends Connection(SsoSession) {}

/** `withDetail: false` for rows read with the list's columns: their detail fields load on demand. */
export function presentSession(e: SsoSessionEntity, { withDetail = true, now = Date.now() } = {}): SsoSession {
  return Object.assign(new SsoSession(), {
    id: e.id, connectionId: e.connectionId, organizationId: e.organizationId, environmentId: e.environmentId, state: e.state, origin: e.origin, provider: e.provider ?? null,
    timedOut: e.state === 'STARTED' && now - e.startedAt.getTime() > SESSION_TIMEOUT_MS,
    email: e.email, firstName: e.firstName, lastName: e.lastName, idpId: e.idpId, error: e.error, errorReason: e.errorReason,
    errorMessage: e.errorMessage, detail: withDetail ? detailOf(e) : null,
    spKeyFingerprint: e.spKeyFingerprint ?? null, idpCertificateFingerprint: e.idpCertificateFingerprint ?? null,
    testSignIn: e.testSignIn ?? false, startedAt: e.startedAt, authorizedAt: e.authorizedAt, succeededAt: e.succeededAt, failedAt: e.failedAt, createdAt: e.createdAt,
  });
}

@ObjectType('OAuthSession', { description: 'One sign-in attempt through an OAuth provider (Google, Microsoft, GitHub, Apple): no organization or connection, the provider in the IdP’s place' })
export class OAuthSession {
  @Field(() => ID) id: string;
  @Field({ description: 'GoogleOAuth, MicrosoftOAuth, GitHubOAuth or AppleOAuth' }) provider: string;
  /** Not in the schema: field resolvers check the role in the workspace that owns this session. */
  environmentId: string;
  @Field(() => SsoSessionStateEnum) state: string;
  @Field({ description: 'STARTED for more than 5 minutes without the provider sending the user back' }) timedOut: boolean;
  @Field() createdAt: Date;
  @Field(() => String, { nullable: true }) email: string | null;
  @Field(() => String, { nullable: true }) firstName: string | null;
  @Field(() => String, { nullable: true }) lastName: string | null;
  @Field(() => String, { nullable: true, description: 'The provider’s user ID (the ID token’s sub, GitHub’s user id)' }) idpId: string | null;
  @Field(() => SamlErrorKindEnum, { nullable: true }) error: string | null;
  @Field(() => String, { nullable: true, description: 'The precise reason, e.g. consent_denied or invalid_id_token_audience' }) errorReason: string | null;
  @Field(() => String, { nullable: true }) errorMessage: string | null;
  /** Not in the schema: errorDetails, redirectUri, profile and oauthExchange are field resolvers, as on SsoSession. */
  detail: SessionDetail | null;
  @Field() startedAt: Date;
  @Field(() => Date, { nullable: true }) authorizedAt: Date | null;
  @Field(() => Date, { nullable: true }) succeededAt: Date | null;
  @Field(() => Date, { nullable: true }) failedAt: Date | null;
}

@ObjectType()
export class OAuthSessionConnection extends Connection(OAuthSession) {}

export function presentOAuthSession(e: SsoSessionEntity, { withDetail = true, now = Date.now() } = {}): OAuthSession {
  return Object.assign(new OAuthSession(), {
    id: e.id, provider: e.provider!, environmentId: e.environmentId, state: e.state,
    timedOut: e.state === 'STARTED' && now - e.startedAt.getTime() > SESSION_TIMEOUT_MS,
    email: e.email, firstName: e.firstName, lastName: e.lastName, idpId: e.idpId, error: e.error, errorReason: e.errorReason,
    errorMessage: e.errorMessage, detail: withDetail ? detailOf(e) : null,
    startedAt: e.startedAt, authorizedAt: e.authorizedAt, succeededAt: e.succeededAt, failedAt: e.failedAt, createdAt: e.createdAt,
  });
}
