import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from '../helpers/app';
import { GqlClient } from '../helpers/client';
import { buildSsoSetup, CALLBACK, TestIdp } from '../helpers/sso';
import { enableBilling } from '../helpers/factories';
import { keys } from '../saml/forge';

let app: TestApp;
let metadataServer: http.Server;
let metadataUrl: string;
const idp = new TestIdp();

beforeAll(async () => {
  app = await startTestApp();
  metadataServer = http.createServer((req, res) => {
    if (req.url === '/metadata') res.writeHead(200, { 'content-type': 'application/xml' }).end(idp.metadataXml());
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => metadataServer.listen(0, '127.0.0.1', resolve));
  metadataUrl = `http://127.0.0.1:${(metadataServer.address() as AddressInfo).port}/metadata`;
});
afterAll(async () => {
  metadataServer.close();
  await app.close();
});

const CREATE = `mutation($input: CreateSamlConnectionInput!) { createSamlConnection(input: $input) {
  id name connectionType state idpEntityId idpSsoUrl idpMetadataUrl acsUrl spEntityId spMetadataUrl mappingPreset
  certificates { subject issuer fingerprintSha256 notBefore notAfter expired }
  attributeMapping { idpId email firstName lastName groups } organization { id name } } }`;
const UPDATE = `mutation($input: UpdateSamlConnectionInput!) { updateSamlConnection(input: $input) { id state connectionType mappingPreset attributeMapping { idpId email firstName lastName groups } certificates { fingerprintSha256 expired } } }`;

describe('SAML connections in GraphQL', () => {
  it('imports IdP metadata from a URL and shows Portico’s side for the IT admin', async () => {
    const { admin, org } = await buildSsoSetup(app);
    const created = (await admin.data(CREATE, { input: { organizationId: org.id, connectionType: 'AzureSAML', metadataUrl } })).createSamlConnection;
    expect(created).toMatchObject({
      name: 'Acme', connectionType: 'AzureSAML', state: 'VALIDATING', idpEntityId: idp.entityId, idpSsoUrl: idp.ssoUrl, idpMetadataUrl: metadataUrl,
      acsUrl: `http://portico.test/sso/saml/acs/${created.id}`, spEntityId: `http://portico.test/sso/saml/metadata/${created.id}`, mappingPreset: 'ENTRA_ID',
      organization: { id: org.id, name: 'Acme' },
    });
    expect(created.attributeMapping.email[0]).toBe('http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress');
    expect(created.certificates).toHaveLength(1);
    expect(created.certificates[0].fingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(created.certificates[0].expired).toBe(false);
    const metadata = await fetch(`${app.url}/sso/saml/metadata/${created.id}?download`);
    expect(metadata.headers.get('content-type')).toContain('application/samlmetadata+xml');
    expect(metadata.headers.get('content-disposition')).toContain(`portico-sp-metadata-${created.id}.xml`);
    const xml = await metadata.text();
    expect(xml).toContain(`entityID="http://portico.test/sso/saml/metadata/${created.id}"`);
    expect(xml).toContain(`Location="http://portico.test/sso/saml/acs/${created.id}"`);
  });

  it('refuses a metadata URL on a private network, in every spelling and through every caller, with one neutral answer (SSRF)', async () => {
    const strict = await startTestApp({ PORTICO_ALLOW_PRIVATE_METADATA_URLS: 'false' });
    try {
      const { admin, team, org, connection, apiKey } = await buildSsoSetup(strict);
      const port = new URL(metadataUrl).port;
      const viaKey = new GqlClient(strict.url, { bearer: apiKey });
      const urls = [metadataUrl, `http://localhost:${port}/metadata`, `http://[::ffff:127.0.0.1]:${port}/metadata`, `http://[::ffff:7f00:1]:${port}/metadata`,
        `http://[0:0:0:0:0:ffff:7f00:1]:${port}/metadata`, `http://2130706433:${port}/metadata`, 'http://[::ffff:169.254.169.254]/latest/meta-data', `http://127.0.0.1:1/metadata`];
      const attempts: [string, Promise<{ code?: string; details: { field: string; code: string; message: string }[] }>][] = urls.flatMap((url) => [
        [`create ${url}`, admin.error(CREATE, { input: { organizationId: org.id, metadataUrl: url } })],
        [`update ${url}`, admin.error(UPDATE, { input: { id: connection.id, metadataUrl: url } })],
        [`support ${url}`, team.as.SUPPORT.error(UPDATE, { input: { id: connection.id, metadataUrl: url } })],
        [`api key ${url}`, viaKey.error(UPDATE, { input: { id: connection.id, metadataUrl: url } })],
      ]);
      for (const [label, attempt] of attempts) {
        const error = await attempt;
        expect([label, error.code, error.details]).toEqual([label, 'BAD_USER_INPUT', [{ field: 'metadataUrl', code: 'fetch_failed', message: 'Portico could not fetch the metadata URL. Check that it is a public address that answers with the metadata XML. Private and internal addresses are refused unless the Portico server runs with PORTICO_ALLOW_PRIVATE_URLS=true.' }]]);
      }
    } finally {
      await strict.close();
    }
  });

  it('refuses an IdP SSO URL that is not http(s), wherever it comes from, and /sso/authorize never redirects to one', async () => {
    const { admin, org, connection, environment } = await buildSsoSetup(app);
    const evil = new TestIdp();
    Object.defineProperty(evil, 'ssoUrl', { value: 'javascript:alert(document.domain)' });
    const fromXml = await admin.error(CREATE, { input: { organizationId: org.id, metadataXml: evil.metadataXml() } });
    expect(fromXml.details).toEqual([expect.objectContaining({ field: 'metadataXml', code: 'invalid_sso_url' })]);
    const served = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/xml' }).end(evil.metadataXml()));
    await new Promise<void>((resolve) => served.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(served.address() as AddressInfo).port}/metadata`;
      const fromUrl = await admin.error(UPDATE, { input: { id: connection.id, metadataUrl: url } });
      expect(fromUrl.details).toEqual([expect.objectContaining({ field: 'metadataUrl', code: 'invalid_sso_url' })]);
    } finally {
      served.close();
    }
    for (const idpSsoUrl of ['javascript:alert(1)', 'JavaScript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x']) {
      const byHand = await admin.error(UPDATE, { input: { id: connection.id, idpSsoUrl } });
      expect(byHand.details).toEqual([expect.objectContaining({ field: 'idpSsoUrl', code: 'invalid_url' })]);
    }
    // A row written before these checks existed: authorize refuses it instead of redirecting the browser to it.
    await app.db.query(`UPDATE connections SET idp_sso_url = 'javascript:alert(1)' WHERE id = $1`, [connection.id]);
    const res = await fetch(`${app.url}/sso/authorize?${new URLSearchParams({ client_id: environment.clientId, redirect_uri: CALLBACK, response_type: 'code', connection: connection.id })}`, { redirect: 'manual' });
    const location = new URL(res.headers.get('location') ?? 'about:blank');
    expect([res.status, location.origin + location.pathname, location.searchParams.get('error')]).toEqual([302, CALLBACK, 'connection_invalid']);
  });

  it('starts as a draft when configured by hand, and validates each field', async () => {
    const { admin, org } = await buildSsoSetup(app);
    const draft = (await admin.data(CREATE, { input: { organizationId: org.id, name: 'By hand' } })).createSamlConnection;
    expect(draft.state).toBe('DRAFT');
    const error = await admin.error(UPDATE, { input: { id: draft.id, idpSsoUrl: 'not a url', idpCertificates: ['-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----'] } });
    expect(error.details.map((d: { field: string; code: string }) => [d.field, d.code])).toEqual([['idpSsoUrl', 'invalid_url'], ['idpCertificates[0]', 'invalid_certificate']]);
    const configured = (await admin.data(UPDATE, { input: { id: draft.id, idpEntityId: 'https://idp.example.com/x', idpSsoUrl: 'https://idp.example.com/sso', idpCertificates: [keys.idp.cert, keys.expiredIdp.cert] } })).updateSamlConnection;
    expect(configured.state).toBe('VALIDATING');
    expect(configured.certificates.map((c: { expired: boolean }) => c.expired)).toEqual([false, true]);
    const badMetadata = await admin.error(CREATE, { input: { organizationId: org.id, metadataXml: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>' } });
    expect(badMetadata.details[0]).toMatchObject({ field: 'metadataXml', code: 'dtd_not_allowed' });
    expect((await admin.error(CREATE, { input: { organizationId: org.id, connectionType: 'MagicLink' } })).details[0]).toMatchObject({ field: 'connectionType' });
  });

  it('edits the attribute mapping, and a new connection type resets it to that IdP’s preset', async () => {
    const { admin, connection } = await buildSsoSetup(app);
    const edited = (await admin.data(UPDATE, { input: { id: connection.id, attributeMapping: { email: ['mail', 'email'], groups: [] } } })).updateSamlConnection;
    expect(edited.attributeMapping).toMatchObject({ email: ['mail', 'email'], groups: [], idpId: ['id'] });
    expect((await admin.error(UPDATE, { input: { id: connection.id, attributeMapping: { email: [] } } })).details[0]).toMatchObject({ field: 'attributeMapping.email', code: 'invalid_mapping' });
    const google = (await admin.data(UPDATE, { input: { id: connection.id, connectionType: 'GoogleSAML' } })).updateSamlConnection;
    expect(google).toMatchObject({ connectionType: 'GoogleSAML', mappingPreset: 'GOOGLE', attributeMapping: { idpId: ['$NameID'] } });
  });

  it('turns a connection off and on again, and every role can manage connections while only Admins and Developers manage redirect URIs', async () => {
    const { team, admin, connection, environment } = await buildSsoSetup(app);
    const toggle = `mutation($id: ID!, $enabled: Boolean!) { setConnectionEnabled(id: $id, enabled: $enabled) { state } }`;
    expect((await team.as.SUPPORT.data(toggle, { id: connection.id, enabled: false })).setConnectionEnabled.state).toBe('INACTIVE');
    expect((await admin.data(toggle, { id: connection.id, enabled: true })).setConnectionEnabled.state).toBe('VALIDATING');
    const add = `mutation($input: AddRedirectUriInput!) { addRedirectUri(input: $input) { id isDefault } }`;
    expect((await team.as.SUPPORT.error(add, { input: { environmentId: environment.id, uri: 'https://app.example.com/cb' } })).code).toBe('FORBIDDEN');
    expect((await team.as.DEVELOPER.data(add, { input: { environmentId: environment.id, uri: 'https://app.example.com/cb' } })).addRedirectUri.isDefault).toBe(false);
    expect((await team.as.anonymous.error(toggle, { id: connection.id, enabled: false })).code).toBe('UNAUTHENTICATED');
  });
});

describe('redirect URIs in GraphQL', () => {
  const ADD = `mutation($input: AddRedirectUriInput!) { addRedirectUri(input: $input) { id uri isDefault } }`;
  const LIST = `query($id: ID!) { environment(id: $id) { redirectUris { uri isDefault } } }`;

  it('applies the contract’s rules per environment and keeps exactly one default', async () => {
    const { admin, team, environment } = await buildSsoSetup(app);
    await enableBilling(app.db, team.workspace.id);
    const production = team.environments[1]!;
    const refused = await admin.error(ADD, { input: { environmentId: production.id, uri: 'http://app.example.com/cb' } });
    expect(refused.details[0]).toMatchObject({ field: 'uri', code: 'https_required' });
    expect((await admin.data(ADD, { input: { environmentId: production.id, uri: 'http://127.0.0.1:8080/cb' } })).addRedirectUri.isDefault).toBe(true);
    expect((await admin.error(ADD, { input: { environmentId: environment.id, uri: 'https://*.example.com/cb', isDefault: true } })).details[0].code).toBe('wildcard_default');
    const wildcard = (await admin.data(ADD, { input: { environmentId: environment.id, uri: 'https://*.example.com/cb' } })).addRedirectUri;
    expect(wildcard.isDefault).toBe(false);
    const next = (await admin.data(ADD, { input: { environmentId: environment.id, uri: 'https://app.example.com/cb', isDefault: true } })).addRedirectUri;
    expect(next.isDefault).toBe(true);
    expect((await admin.data(LIST, { id: environment.id })).environment.redirectUris).toEqual([
      { uri: 'http://localhost:4100/callback', isDefault: false },
      { uri: 'https://*.example.com/cb', isDefault: false },
      { uri: 'https://app.example.com/cb', isDefault: true },
    ]);
    await admin.data(`mutation($id: ID!) { removeRedirectUri(id: $id) { id } }`, { id: next.id });
    expect((await admin.data(LIST, { id: environment.id })).environment.redirectUris.filter((r: { isDefault: boolean }) => r.isDefault)).toEqual([
      { uri: 'http://localhost:4100/callback', isDefault: true },
    ]);
    expect((await admin.error(ADD, { input: { environmentId: environment.id, uri: 'http://localhost:4100/callback' } })).code).toBe('CONFLICT');
  });
});
