import type { TestApp } from './app';
import { buildSsoSetup } from './sso';

/** An SSO setup plus a SCIM directory, and a client that speaks SCIM to it with its bearer token. */
export async function buildDirectorySetup(app: TestApp, type = 'okta scim v2.0', scope?: 'READ_ONLY' | 'SSO_ADMIN' | 'FULL_ENVIRONMENT') {
  const setup = await buildSsoSetup(app, { scope });
  const { createDirectory } = await setup.admin.data(
    `mutation($input: CreateDirectoryInput!) { createDirectory(input: $input) { token directory { id scimBaseUrl state } } }`,
    { input: { organizationId: setup.org.id, type } },
  );
  const directoryId = createDirectory.directory.id as string;
  const token = createDirectory.token as string;
  /** `body` as a string is sent as is: attack bodies need keys (`__proto__`) that JSON.stringify of a literal can't produce. */
  const scim = async (method: string, path: string, body?: unknown, bearer = token) => {
    const res = await fetch(`${app.url}/scim/v2/${directoryId}${path}`, {
      method, headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/scim+json', accept: 'application/scim+json' }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, contentType: res.headers.get('content-type'), headers: res.headers };
  };
  return { ...setup, directoryId, token, scim, scimBaseUrl: createDirectory.directory.scimBaseUrl as string };
}

export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** A user as Okta creates it (POST /Users). */
export const oktaUser = (email: string, extra: Record<string, unknown> = {}) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: email,
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [{ primary: true, value: email, type: 'work' }],
  displayName: 'Ada Lovelace',
  locale: 'en-US',
  externalId: `00u${email.length}okta`,
  groups: [],
  password: 'not-stored-because-okta-sends-one',
  active: true,
  ...extra,
});

/** A user as Entra ID creates it, enterprise extension included. */
export const entraUser = (email: string, manager = 'mgr-object-id') => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  externalId: email.split('@')[0],
  userName: email,
  active: true,
  displayName: 'Grace Hopper',
  title: 'Rear Admiral',
  emails: [{ primary: true, type: 'work', value: email }],
  name: { formatted: 'Grace Hopper', familyName: 'Hopper', givenName: 'Grace' },
  [ENTERPRISE]: { employeeNumber: '1906', department: 'Navy', manager: { value: manager } },
});
