import { inflateRawSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { WorkOS } from '@workos-inc/node';
import { assertionXml, b64, encryptAssertion, keys, responseXml, signAssertion, signResponse } from '../saml/forge';
import type { TestApp } from './app';
import { buildTeam } from './factories';

export const CALLBACK = 'http://localhost:4100/callback';

/** A fake identity provider: its metadata, and responses signed by an independent signer (xml-crypto, not node-saml). */
export class TestIdp {
  readonly entityId = `https://idp-${randomBytes(4).toString('hex')}.example.com/saml`;
  readonly ssoUrl: string = 'https://idp.example.com/sso/saml';

  constructor(readonly signingKey = keys.idp) {}

  metadataXml(): string {
    const cert = this.signingKey.cert.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    return `<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${this.entityId}">`
      + `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">`
      + `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`
      + `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${this.ssoUrl}"/>`
      + `</md:IDPSSODescriptor></md:EntityDescriptor>`;
  }

  /** A signed response for `connection`, answering `inResponseTo` (null: IdP-initiated). */
  async response(connection: { acsUrl: string; spEntityId: string }, opts: ResponseOptions = {}): Promise<string> {
    const now = opts.now ?? new Date();
    const inResponseTo = opts.inResponseTo ?? null;
    const assertion = assertionXml({
      now, id: opts.assertionId, issuer: this.entityId, audience: opts.audience ?? connection.spEntityId, recipient: connection.acsUrl, inResponseTo,
      nameId: opts.nameId ?? 'ada@acme.com', attributes: opts.attributes ?? { id: 'okta-user-1', email: 'ada@acme.com', firstName: 'Ada', lastName: 'Lovelace', groups: ['Engineering', 'Admins'] },
    });
    const signer = { key: (opts.signWith ?? this.signingKey).key, cert: (opts.signWith ?? this.signingKey).cert };
    let signed = opts.sign === 'response' ? assertion : signAssertion(assertion, signer);
    if (opts.encryptTo) signed = await encryptAssertion(signed, opts.encryptMode ?? 'gcm', opts.encryptTo);
    const response = responseXml({ now, issuer: this.entityId, destination: opts.destination ?? connection.acsUrl, inResponseTo, assertionXml: signed });
    return b64(opts.sign === 'response' ? signResponse(response, signer) : response);
  }
}

export interface ResponseOptions {
  now?: Date;
  inResponseTo?: string | null;
  assertionId?: string;
  audience?: string;
  destination?: string;
  nameId?: string;
  attributes?: Record<string, string | string[]>;
  signWith?: { key: string; cert: string };
  encryptTo?: string;
  encryptMode?: 'cbc' | 'gcm';
  /** What the IdP signs: the assertion (default), or only the Response around it (Shibboleth's default). */
  sign?: 'assertion' | 'response';
}

/** Follows `/sso/authorize` to the IdP: the AuthnRequest ID and the RelayState Portico sent. */
export async function startSignIn(authorizeUrl: string) {
  const res = await fetch(authorizeUrl, { redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) return { status: res.status, location, body: await res.text(), requestId: null, relayState: null };
  const url = new URL(location);
  const samlRequest = url.searchParams.get('SAMLRequest');
  const xml = samlRequest ? inflateRawSync(Buffer.from(samlRequest, 'base64')).toString('utf8') : null;
  return { status: res.status, location, body: '', requestId: xml ? /ID="([^"]+)"/.exec(xml)![1]! : null, relayState: url.searchParams.get('RelayState') };
}

/** Where a whole sign-in runs: a Portico, an environment's client ID and API key (its client secret), a registered redirect URI. */
export interface SignInTarget {
  url: string;
  clientId: string;
  apiKey: string;
  idp: TestIdp;
  redirectUri?: string;
}

/**
 * A real SP-initiated sign-in, as the browser and the app would make it: `/sso/authorize` → (the test IdP answers with
 * `opts`) → ACS; a success is also exchanged for the profile at `/sso/token`. Returns the session's ID.
 */
export async function signInThroughPortico(target: SignInTarget, connection: { id: string; acsUrl: string; spEntityId: string }, opts: ResponseOptions = {}): Promise<string> {
  const authorize = `${target.url}/sso/authorize?${new URLSearchParams({ client_id: target.clientId, redirect_uri: target.redirectUri ?? CALLBACK, response_type: 'code', connection: connection.id, state: 's' })}`;
  const started = await startSignIn(authorize);
  if (!started.relayState) throw new Error(`/sso/authorize answered ${started.status}: ${started.body}`);
  const response = await target.idp.response(connection, { inResponseTo: started.requestId, ...opts });
  const acs = await fetch(connection.acsUrl, { method: 'POST', body: new URLSearchParams({ SAMLResponse: response, RelayState: started.relayState }), redirect: 'manual' });
  const code = new URL(acs.headers.get('location')!).searchParams.get('code');
  if (code) {
    const token = await fetch(`${target.url}/sso/token`, { method: 'POST', body: new URLSearchParams({ client_id: target.clientId, grant_type: 'authorization_code', code, client_secret: target.apiKey }) });
    if (token.status !== 200) throw new Error(`/sso/token answered ${token.status}: ${await token.text()}`);
  }
  return started.relayState;
}

/** A client IP no other test uses: failed ACS posts are rate-limited per IP across the whole test database. */
export const randomIp = () => `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 256)).join('.')}`;

/**
 * POSTs a SAMLResponse to the connection's ACS as the browser would (HTTP-POST binding), from `ip` (sent as
 * X-Forwarded-For, which test apps trust), by default a fresh one.
 */
export async function postToAcs(app: TestApp, connectionId: string, samlResponse: string, relayState?: string | null, ip = randomIp()) {
  const form = new URLSearchParams({ SAMLResponse: samlResponse });
  if (relayState) form.set('RelayState', relayState);
  const res = await fetch(`${app.url}/sso/saml/acs/${connectionId}`, { method: 'POST', body: form, redirect: 'manual', headers: { 'x-forwarded-for': ip } });
  const location = res.headers.get('location');
  return { status: res.status, location: location ? new URL(location) : null, body: await res.text() };
}

const SETUP = {
  key: `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
  redirect: `mutation($input: AddRedirectUriInput!) { addRedirectUri(input: $input) { id uri isDefault } }`,
  org: `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`,
  connection: `mutation($input: CreateSamlConnectionInput!) { createSamlConnection(input: $input) { id acsUrl spEntityId state } }`,
};

/** A workspace with an API key (SSO_ADMIN unless `scope` says; webhook endpoints need FULL_ENVIRONMENT), a redirect URI, an organization (acme.com) and a SAML connection to a TestIdp, and the SDK pointed at the app. */
export async function buildSsoSetup(app: TestApp, opts: { connectionType?: string; idp?: TestIdp; scope?: 'READ_ONLY' | 'SSO_ADMIN' | 'FULL_ENVIRONMENT' } = {}) {
  const team = await buildTeam(app.db, app.url);
  const environment = team.environments[0]!;
  const admin = team.as.ADMIN;
  const { secret } = (await admin.data(SETUP.key, { input: { environmentId: environment.id, name: 'Tests', ...(opts.scope ? { scope: opts.scope } : {}) } })).createApiKey;
  await admin.data(SETUP.redirect, { input: { environmentId: environment.id, uri: CALLBACK } });
  const org = (await admin.data(SETUP.org, { input: { environmentId: environment.id, name: 'Acme', domains: ['acme.com'] } })).createOrganization;
  const idp = opts.idp ?? new TestIdp();
  const connection = (await admin.data(SETUP.connection, { input: { organizationId: org.id, connectionType: opts.connectionType ?? 'OktaSAML', metadataXml: idp.metadataXml() } })).createSamlConnection as {
    id: string; acsUrl: string; spEntityId: string; state: string;
  };
  const port = Number(new URL(app.url).port);
  const workos = new WorkOS(secret, { apiHostname: '127.0.0.1', port, https: false, clientId: environment.clientId, maxRetries: 0 });
  return { team, environment, admin, apiKey: secret as string, org: org as { id: string }, idp, connection, workos };
}

export async function sessionRow(app: TestApp, id: string) {
  const [row] = await app.db.query('SELECT * FROM sso_sessions WHERE id = $1', [id]);
  return row;
}
