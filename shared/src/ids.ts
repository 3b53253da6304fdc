/** Prefixes of Portico's public IDs: `<prefix>_<ULID>`, as WorkOS spells them. */
export const ID_PREFIXES = {
  user: 'user',
  workspace: 'workspace',
  member: 'member',
  invitation: 'invitation',
  environment: 'environment',
  client: 'client',
  email: 'email',
  apiKey: 'key',
  organization: 'org',
  organizationDomain: 'org_domain',
  redirectUri: 'redirect_uri',
  connection: 'conn',
  ssoSession: 'sso_session',
  directory: 'directory',
  directoryUser: 'directory_user',
  directoryGroup: 'directory_group',
  customAttribute: 'custom_attribute',
  scimRequest: 'scim_request',
  event: 'event',
  webhookEndpoint: 'we',
  webhookDelivery: 'webhook_delivery',
  webhookAttempt: 'webhook_attempt',
  profile: 'prof',
  portalLink: 'portal_link',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** True when `id` is a well-formed public ID of the given kind. */
export function isIdOf(kind: IdKind, id: string): boolean {
  const prefix = `${ID_PREFIXES[kind]}_`;
  return id.startsWith(prefix) && ULID.test(id.slice(prefix.length));
}
