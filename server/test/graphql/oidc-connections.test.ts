import { startTestApp, type TestApp } from '../helpers/app';
import { buildSsoSetup } from '../helpers/sso';
import { ForgingIdp } from '../helpers/oidc-forge';

let app: TestApp;
let strict: TestApp;
let idp: ForgingIdp;

beforeAll(async () => {
  idp = await new ForgingIdp('client-1', 'secret-1').start();
  app = await startTestApp({ PUBLIC_URL: 'http://portico.test' });
  // The production default: private and loopback addresses refused.
  strict = await startTestApp({ PUBLIC_URL: 'https://portico.example', PORTICO_ALLOW_PRIVATE_METADATA_URLS: 'false' });
});
afterAll(async () => {
  await app?.close();
  await strict?.close();
  await idp?.close();
});

const FIELDS = 'id state connectionType mappingPresetConnectionType attributeMapping { idpId email firstName lastName groups } oidc { discoveryUrl issuer authorizationEndpoint tokenEndpoint jwksUri clientId clientSecretSet scopes redirectUri }';
const CREATE = `mutation($input: CreateOidcConnectionInput!) { createOidcConnection(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($input: UpdateOidcConnectionInput!) { updateOidcConnection(input: $input) { ${FIELDS} } }`;

const fieldsOf = (error: { details?: unknown }) => (error.details as { field: string; code: string }[]).map((d) => `${d.field}:${d.code}`);

describe('createOidcConnection / updateOidcConnection', () => {
  it('creates from a discovery URL, seals the secret, and never returns it', async () => {
    const { admin, org } = await buildSsoSetup(app);
    const created = (await admin.data(CREATE, { input: { organizationId: org.id, connectionType: 'EntraIdOIDC', discoveryUrl: `${idp.issuer}/.well-known/openid-configuration`, clientId: 'client-1', clientSecret: 'very-secret-value' } })).createOidcConnection;
    expect(created).toMatchObject({
      state: 'VALIDATING', connectionType: 'EntraIdOIDC', mappingPresetConnectionType: 'EntraIdOIDC',
      attributeMapping: { idpId: ['oid', 'sub'], email: ['email', 'preferred_username', 'upn'] },
      oidc: { issuer: idp.issuer, jwksUri: `${idp.issuer}/jwks`, clientSecretSet: true, redirectUri: 'http://portico.test/sso/oauth/callback' },
    });
    const [row] = await app.db.query('SELECT oidc_client_secret_sealed FROM connections WHERE id = $1', [created.id]);
    expect(row.oidc_client_secret_sealed).not.toContain('very-secret-value');
    expect(JSON.stringify(await admin.request(`query($id: ID!) { ssoConnection(id: $id) { ${FIELDS} } }`, { id: created.id }))).not.toContain('very-secret-value');
    expect(Object.keys(created.oidc)).not.toContain('clientSecret');
  });

  it('creates by hand (draft until the secret is set), then updates scopes, mapping and secret', async () => {
    const { admin, org } = await buildSsoSetup(app);
    const draft = (await admin.data(CREATE, { input: { organizationId: org.id, issuer: 'https://idp.example.com', authorizationEndpoint: 'https://idp.example.com/authorize', tokenEndpoint: 'https://idp.example.com/token', jwksUri: 'https://idp.example.com/jwks', clientId: 'abc' } })).createOidcConnection;
    expect(draft).toMatchObject({ state: 'DRAFT', connectionType: 'GenericOIDC', oidc: { discoveryUrl: null, clientSecretSet: false, scopes: ['openid', 'profile', 'email'] } });
    const updated = (await admin.data(UPDATE, { input: { id: draft.id, clientSecret: 's3cret', scopes: ['email', 'groups'], claimMapping: { groups: ['roles'] } } })).updateOidcConnection;
    expect(updated).toMatchObject({ state: 'VALIDATING', oidc: { clientSecretSet: true, scopes: ['openid', 'email', 'groups'] }, attributeMapping: { groups: ['roles'], idpId: ['sub'] } });
    const retyped = (await admin.data(UPDATE, { input: { id: draft.id, connectionType: 'OktaOIDC' } })).updateOidcConnection;
    expect(retyped).toMatchObject({ connectionType: 'OktaOIDC', attributeMapping: { groups: ['groups'] } });
  });

  it('names the field and the rule of every invalid value', async () => {
    const { admin, org } = await buildSsoSetup(app);
    const bad = await admin.error(CREATE, { input: { organizationId: org.id, authorizationEndpoint: 'javascript:alert(1)', tokenEndpoint: 'ftp://idp/token', clientId: '' } });
    expect(bad.code).toBe('BAD_USER_INPUT');
    expect(fieldsOf(bad)).toEqual(['authorizationEndpoint:https_required', 'tokenEndpoint:https_required']);
    expect(fieldsOf(await admin.error(CREATE, { input: { organizationId: org.id, clientId: '' } }))).toEqual(['clientId:invalid_client_id']);
    expect(fieldsOf(await admin.error(CREATE, { input: { organizationId: org.id, scopes: ['openid', 'bad scope'] } }))).toEqual(['scopes:invalid_scope']);
    expect(fieldsOf(await admin.error(CREATE, { input: { organizationId: org.id, connectionType: 'OktaSAML' } }))).toEqual(['connectionType:invalid_connection_type']);
    expect(fieldsOf(await admin.error(CREATE, { input: { organizationId: org.id, discoveryUrl: idp.issuer, issuer: 'https://other.example.com' } }))).toEqual(['issuer:issuer_mismatch']);
    // No discovery document there (404): the one uniform answer.
    expect(fieldsOf(await admin.error(CREATE, { input: { organizationId: org.id, discoveryUrl: `${idp.issuer}/tenant-b` } }))).toEqual(['discoveryUrl:fetch_failed']);
  });

  it('refuses a discovery document whose issuer is not the one its URL names', async () => {
    const { admin, org } = await buildSsoSetup(app);
    const express = (await import('express')).default;
    const server = express().get('/.well-known/openid-configuration', (_req, res) => void res.json({ issuer: 'https://impostor.example.com', authorization_endpoint: 'https://a', token_endpoint: 'https://t', jwks_uri: 'https://j' })).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const error = await admin.error(CREATE, { input: { organizationId: org.id, discoveryUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}` } });
      expect(fieldsOf(error)).toEqual(['discoveryUrl:invalid_discovery_document']);
      expect(error.message).toContain('impostor.example.com');
    } finally {
      server.close();
    }
  });

  it('fetches the discovery URL through the SSRF guard: loopback refused, http endpoints refused, unless private URLs are allowed', async () => {
    const { admin, org } = await buildSsoSetup(strict);
    const error = await admin.error(CREATE, { input: { organizationId: org.id, discoveryUrl: `https://127.0.0.1:${new URL(idp.issuer).port}` } });
    expect(fieldsOf(error)).toEqual(['discoveryUrl:fetch_failed']);
    expect(error.message).toContain('PORTICO_ALLOW_PRIVATE_URLS');
    expect(fieldsOf(await admin.error(CREATE, { input: { organizationId: org.id, discoveryUrl: idp.issuer } }))).toEqual(['discoveryUrl:https_required']);
  });

  it('keeps SAML and OIDC updates apart', async () => {
    const { admin, org, connection } = await buildSsoSetup(app);
    expect(fieldsOf(await admin.error(UPDATE, { input: { id: connection.id, clientId: 'x' } }))).toEqual(['id:not_an_oidc_connection']);
    const oidc = (await admin.data(CREATE, { input: { organizationId: org.id, clientId: 'x' } })).createOidcConnection;
    expect(fieldsOf(await admin.error(`mutation($input: UpdateSsoConnectionInput!) { updateSsoConnection(input: $input) { id } }`, { input: { id: oidc.id, name: 'n' } }))).toEqual(['id:not_a_saml_connection']);
  });
});
