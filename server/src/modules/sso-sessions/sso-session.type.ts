import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Connection } from '../../graphql/pagination';
import type { SsoSessionEntity } from './sso-session.entity';

export const SsoSessionStateEnum = { STARTED: 'STARTED', AUTHORIZED: 'AUTHORIZED', SUCCESSFUL: 'SUCCESSFUL', FAILED: 'FAILED' } as const;
export const SsoSessionOriginEnum = { SP: 'SP', IDP: 'IDP' } as const;
export const SamlErrorKindEnum = {
  INVALID_ATTRIBUTES: 'INVALID_ATTRIBUTES',
  INVALID_X509_CERTIFICATE: 'INVALID_X509_CERTIFICATE',
  MALFORMED_SAML_RESPONSE: 'MALFORMED_SAML_RESPONSE',
  PROFILE_NOT_ALLOWED_OUTSIDE_ORGANIZATION: 'PROFILE_NOT_ALLOWED_OUTSIDE_ORGANIZATION',
  DECRYPTION_FAILED: 'DECRYPTION_FAILED',
} as const;
registerEnumType(SsoSessionStateEnum, { name: 'SsoSessionState', description: 'STARTED → AUTHORIZED (code sent to the app) → SUCCESSFUL (code exchanged), or FAILED' });
registerEnumType(SsoSessionOriginEnum, { name: 'SsoSessionOrigin', description: 'SP: started by the application; IDP: started from the identity provider' });
registerEnumType(SamlErrorKindEnum, { name: 'SamlErrorKind', description: 'The five errors of a failed SAML sign-in' });

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
  @Field({ description: 'STARTED for more than 5 minutes without a response' }) timedOut: boolean;
  @Field() createdAt: Date;
  @Field(() => String, { nullable: true }) email: string | null;
  @Field(() => String, { nullable: true }) firstName: string | null;
  @Field(() => String, { nullable: true }) lastName: string | null;
  @Field(() => String, { nullable: true }) idpId: string | null;
  @Field(() => SamlErrorKindEnum, { nullable: true }) error: string | null;
  @Field(() => String, { nullable: true, description: 'The precise reason, e.g. invalid_audience or certificate_expired' }) errorReason: string | null;
  @Field(() => String, { nullable: true }) errorMessage: string | null;
  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Expected and received values, and what the diagnosis needs' }) errorDetails: Record<string, unknown> | null;
  @Field(() => String, { nullable: true, description: 'The AuthnRequest as XML (SP-initiated only)' }) samlRequest: string | null;
  @Field(() => String, { nullable: true, description: 'The SAML response as decoded XML; only its start when samlResponseTruncated' }) samlResponse: string | null;
  @Field(() => Int, { nullable: true, description: 'The size of the SAML response as received, in bytes' }) samlResponseBytes: number | null;
  @Field({ description: 'The stored SAML response is only the start of what was received: a failed attempt keeps at most 64 KB' }) samlResponseTruncated: boolean;
  @Field(() => String, { nullable: true, description: 'An encrypted sign-in’s assertion as Portico decrypted it (XML), kept like samlResponse (same retention; at most 64 KB for a failed attempt); null when the assertion was not encrypted or could not be decrypted' }) decryptedAssertion: string | null;
  @Field(() => String, { nullable: true, description: 'SHA-256 fingerprint of the SP encryption certificate whose key decrypted the assertion (current or next, during a key rollover)' }) spKeyFingerprint: string | null;
  @Field(() => String, { nullable: true, description: 'SHA-256 fingerprint of the IdP certificate whose key verified the signature' }) idpCertificateFingerprint: string | null;
  @Field(() => String, { nullable: true }) redirectUri: string | null;
  @Field() startedAt: Date;
  @Field(() => Date, { nullable: true }) authorizedAt: Date | null;
  @Field(() => Date, { nullable: true }) succeededAt: Date | null;
  @Field(() => Date, { nullable: true }) failedAt: Date | null;
}

@ObjectType()
export class SsoSessionConnection extends Connection(SsoSession) {}

export function presentSession(e: SsoSessionEntity, now = Date.now()): SsoSession {
  return Object.assign(new SsoSession(), {
    id: e.id, connectionId: e.connectionId, organizationId: e.organizationId, environmentId: e.environmentId, state: e.state, origin: e.origin,
    timedOut: e.state === 'STARTED' && now - e.startedAt.getTime() > SESSION_TIMEOUT_MS,
    email: e.email, firstName: e.firstName, lastName: e.lastName, idpId: e.idpId, error: e.error, errorReason: e.errorReason,
    errorMessage: e.errorMessage, errorDetails: e.errorDetails, samlRequest: e.samlRequest, samlResponse: e.samlResponse,
    samlResponseBytes: e.samlResponseBytes ?? null, samlResponseTruncated: e.samlResponseTruncated ?? false, redirectUri: e.redirectUri,
    decryptedAssertion: e.decryptedAssertion ?? null, spKeyFingerprint: e.spKeyFingerprint ?? null, idpCertificateFingerprint: e.idpCertificateFingerprint ?? null,
    startedAt: e.startedAt, authorizedAt: e.authorizedAt, succeededAt: e.succeededAt, failedAt: e.failedAt, createdAt: e.createdAt,
  });
}
