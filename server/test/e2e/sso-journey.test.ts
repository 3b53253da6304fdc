import { WorkOS } from '@workos-inc/node';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { uniqueEmail } from '../helpers/factories';
import { describeInBrowser, launchChromium, screenshot } from '../helpers/browser';
import { startPorticoProcess, type PorticoProcess } from '../helpers/process';
import { TestIdp, startSignIn } from '../helpers/sso';
import { TEST_SECRET_KEY } from '../helpers/app';
import { signUpInBrowser } from '../helpers/sign-up-journey';

const CALLBACK = 'http://localhost:4100/callback';

describeInBrowser('SSO setup in Chromium: organization, domains, SAML connection, a real sign-in', () => {
  let portico: PorticoProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const idp = new TestIdp();
  let connectionId: string;
  let acsUrl: string;
  let spEntityId: string;

  beforeAll(async () => {
    portico = await startPorticoProcess({ DATABASE_URL: process.env.PORTICO_TEST_DATABASE_URL!, PORTICO_SEED_DEMO: 'false', PORTICO_SECRET_KEY: TEST_SECRET_KEY });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    page = await context.newPage();
    await signUpInBrowser(page, portico, { name: 'Grace Hopper', email: uniqueEmail('sso'), password: 'a-long-and-happy-passphrase', workspaceName: 'Compilers Inc' });
  });
  afterAll(async () => {
    await browser?.close();
    await portico?.stop();
  });

  it('adds a redirect URI, explaining a rejected one as it is typed', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Configuration' }).click();
    const field = page.getByLabel('Add a redirect URI');
    await field.fill('https://*.com/callback');
    await field.blur();
    await page.getByText('put it under a domain you own').waitFor();
    await field.fill(CALLBACK);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('cell', { name: CALLBACK, exact: true }).waitFor();
    await page.locator('tbody .badge', { hasText: 'Default' }).waitFor();
    await screenshot(page, '20-redirect-uris');
  });

  it('creates an organization with its domain beside the Test Organization', async () => {
    await page.getByRole('link', { name: 'Organizations' }).click();
    // A new workspace's Staging starts with the Test Organization only (the built-in test IdP's).
    await page.getByRole('link', { name: 'Test Organization' }).waitFor();
    await screenshot(page, '21-organizations-new-workspace');
    await page.getByRole('button', { name: 'Create organization' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Acme');
    await dialog.getByLabel('User email domains').fill('acme.com, gmail.com');
    await dialog.getByRole('button', { name: 'Create organization' }).click();
    await dialog.getByText('public email provider').waitFor();
    await dialog.getByLabel('User email domains').fill('acme.com');
    await dialog.getByRole('button', { name: 'Create organization' }).click();
    await page.getByRole('heading', { name: 'Acme', level: 1 }).waitFor();
    await page.getByRole('listitem').filter({ hasText: 'acme.com' }).waitFor();
    await page.getByLabel('Add a domain').fill('acme.co.uk');
    await page.getByRole('button', { name: 'Add domain' }).click();
    await page.getByRole('listitem').filter({ hasText: 'acme.co.uk' }).waitFor();
    await screenshot(page, '22-organization');
  });

  it('adds a SAML connection from pasted IdP metadata and shows both sides of the setup', async () => {
    await page.getByRole('button', { name: 'Add connection' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Identity provider').selectOption('OktaSAML');
    await dialog.getByRole('button', { name: 'Metadata XML' }).click();
    await dialog.getByLabel('IdP metadata XML').fill('<not-metadata/>');
    await dialog.getByRole('button', { name: 'Create connection' }).click();
    await dialog.getByText('no EntityDescriptor').waitFor();
    await screenshot(page, '23-connection-metadata-error');
    await dialog.getByLabel('IdP metadata XML').fill(idp.metadataXml());
    await dialog.getByRole('button', { name: 'Create connection' }).click();
    await page.getByRole('heading', { name: 'Service provider details' }).waitFor();
    connectionId = /connections\/(conn_[0-9A-Z]{26})/.exec(page.url())![1]!;
    acsUrl = `${portico.url}/sso/saml/acs/${connectionId}`;
    spEntityId = `${portico.url}/sso/saml/metadata/${connectionId}`;
    await page.getByText(acsUrl).waitFor();
    await page.getByText(idp.entityId).waitFor();
    await page.getByText('Validating', { exact: true }).waitFor();
    await screenshot(page, '24-connection');
    await page.locator('.tabs').getByRole('link', { name: 'Sessions' }).click();
    await page.getByText('No sign-ins yet').waitFor();
    await screenshot(page, '24b-sessions-empty');
    await page.locator('.tabs').getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('button', { name: 'Generate key pair' }).click();
    await page.getByText('In use').waitFor();
    // The test IdP below does not encrypt: accept plain assertions while it is "being switched over".
    await page.getByRole('checkbox', { name: /Accept unencrypted assertions during rollout/ }).click();
    await page.getByRole('checkbox', { name: /Accept unencrypted assertions during rollout/, checked: true }).waitFor();
    await page.getByLabel('Email').fill('email, mail');
    await page.getByRole('button', { name: 'Save mapping' }).click();
    await page.getByText('Mapping saved').waitFor();
  });

  it('shows a successful and a failed real sign-in on the connection page, in light and dark', async () => {
    const me = await (await page.request.post(`${portico.url}/graphql`, { data: { query: '{ viewer { workspace { environments { kind clientId } } } }' }, headers: { 'content-type': 'application/json' } })).json();
    const clientId = me.data.viewer.workspace.environments.find((e: { kind: string }) => e.kind === 'STAGING').clientId;
    const workos = new WorkOS({ clientId, apiHostname: '127.0.0.1', port: Number(new URL(portico.url).port), https: false });
    for (const email of ['ada@acme.com', 'eve@elsewhere.com']) {
      const started = await startSignIn(workos.sso.getAuthorizationUrl({ connection: connectionId, redirectUri: CALLBACK, clientId }));
      const response = await idp.response({ acsUrl, spEntityId }, { inResponseTo: started.requestId, nameId: email, attributes: { id: email, email, firstName: 'Test', lastName: 'User' } });
      const res = await fetch(acsUrl, { method: 'POST', body: new URLSearchParams({ SAMLResponse: response, RelayState: started.relayState! }), redirect: 'manual' });
      expect(res.status).toBe(302);
    }
    await page.reload();
    await page.getByText('Active', { exact: true }).first().waitFor();
    await page.locator('.tabs').getByRole('link', { name: 'Sessions' }).click();
    await page.locator('tbody').getByText('Profile Not Allowed Outside Organization').waitFor();
    await page.getByRole('cell', { name: /ada@acme.com/ }).waitFor();
    await page.getByText('Active', { exact: true }).first().waitFor();
    await screenshot(page, '25-connection-sessions');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, '26-connection-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
