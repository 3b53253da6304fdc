import fs from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { WorkOS } from '@workos-inc/node';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { keys } from '../saml/forge';
import { startTestApp, TEST_SECRET_KEY, type TestApp } from '../helpers/app';
import { describeInBrowser, launchChromium, screenshot } from '../helpers/browser';
import { buildPortalSetup } from '../helpers/portal';
import { startPorticoProcess, type PorticoProcess } from '../helpers/process';
import { TestIdp } from '../helpers/sso';

const APP = 'https://app.example.com';
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe's default rules (WCAG 2.x A and AA, best practices) on the page as it is: each finding as one line. */
async function axeFindings(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    const run = (window as unknown as { axe: { run: (d: Document, o: object) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe.run;
    return (await run(document, { resultTypes: ['violations'] })).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/** An http IdP: Chromium interrupts a form posted from an https page to an http ACS (the test Portico is http). */
class BrowserIdp extends TestIdp {
  override readonly ssoUrl: string = 'http://idp.example.com/sso/saml';
}

/**
 * The test IdP as a browser meets it: Portico redirects to its SSO URL with a SAMLRequest; it answers with a page
 * that POSTs a signed response to the ACS (HTTP-POST binding), as a real IdP's does once the user has signed in.
 */
async function serveIdp(context: BrowserContext, idp: TestIdp, sp: () => { acsUrl: string; spEntityId: string }, signWith?: { key: string; cert: string }) {
  await context.route(`${idp.ssoUrl}**`, async (route) => {
    const url = new URL(route.request().url());
    const xml = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
    const inResponseTo = /ID="([^"]+)"/.exec(xml)![1]!;
    const response = await idp.response(sp(), { inResponseTo, signWith });
    const relay = url.searchParams.get('RelayState') ?? '';
    await route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html><body><form method="post" action="${sp().acsUrl}"><input type="hidden" name="SAMLResponse" value="${response}"><input type="hidden" name="RelayState" value="${relay}"></form><script>document.forms[0].submit()</script></body></html>`,
    });
  });
}

describeInBrowser('the Admin Portal in Chromium, as a customer’s IT admin', () => {
  let portico: PorticoProcess;
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startTestApp();
    portico = await startPorticoProcess({ DATABASE_URL: process.env.PORTICO_TEST_DATABASE_URL!, PORTICO_SEED_DEMO: 'false', PORTICO_SECRET_KEY: TEST_SECRET_KEY, PORTICO_ALLOW_PRIVATE_URLS: 'true' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await portico?.stop();
    await app?.close();
  });

  async function portalLink(intent = 'sso', orgName = 'Acme') {
    const setup = await buildPortalSetup(app, orgName);
    await app.db.query(`INSERT INTO admin_portal_settings (environment_id, display_name, brand_color, updated_at) VALUES ($1, 'Northwind HR', '#0f766e', now())`, [setup.environment.id]);
    await app.db.query(`UPDATE workspaces SET support_email = 'help@northwind.example' WHERE id = $1`, [setup.team.workspace.id]);
    const workos = new WorkOS(setup.apiKey, { apiHostname: '127.0.0.1', port: Number(new URL(portico.url).port), https: false, maxRetries: 0 });
    const { link } = await workos.adminPortal.generateLink({ intent: intent as never, organization: setup.org.id, returnUrl: `${APP}/settings`, successUrl: `${APP}/sso-done` });
    return { ...setup, link };
  }

  async function newPage(opts: { width?: number; dark?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: opts.width ?? 1280, height: 900 }, colorScheme: opts.dark ? 'dark' : 'light', bypassCSP: true });
    await context.route(`${APP}/**`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>App</title><h1>Back in the app</h1>' }));
    return { context, page: await context.newPage() };
  }

  const noHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  it('sets up SSO with Okta: steps with copy buttons, metadata upload, a real test sign-in that activates the connection, then the success URL', async () => {
    const { link } = await portalLink();
    const { context, page } = await newPage();
    const idp = new BrowserIdp();
    let sp = { acsUrl: '', spEntityId: '' };
    await serveIdp(context, idp, () => sp);

    await page.goto(link);
    await page.waitForURL(/\/portal\/sso$/);
    await page.getByRole('heading', { name: 'Set up single sign-on', level: 1 }).waitFor();
    await page.getByText('Northwind HR').waitFor();
    await page.getByText('Questions? Contact help@northwind.example').waitFor();
    expect(await page.getByRole('link', { name: 'Return to app' }).getAttribute('href')).toBe(`${APP}/settings`);
    await screenshot(page, 'portal-01-choose-idp-light');

    // Keyboard: the IdP choices are buttons reached with Tab and pressed with Enter.
    await page.getByRole('button', { name: 'Okta' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Create the application in Okta' }).waitFor();
    expect(await page.getByRole('button', { name: 'Okta' }).getAttribute('aria-pressed')).toBe('true');
    const acsUrl = await page.locator('.portal-copy').first().locator('code').textContent();
    const spEntityId = await page.locator('.portal-copy').nth(1).locator('code').textContent();
    sp = { acsUrl: acsUrl!, spEntityId: spEntityId! };
    expect(sp.acsUrl).toMatch(new RegExp(`^${portico.url}/sso/saml/acs/conn_`));
    await page.getByRole('button', { name: /^Copy Single sign-on URL/ }).waitFor();
    await page.getByRole('cell', { name: 'firstName' }).waitFor();

    // Wrong input first: a file that is not metadata is explained, in words.
    await page.getByLabel('Metadata file (.xml)').setInputFiles({ name: 'not-metadata.xml', mimeType: 'text/xml', buffer: Buffer.from('<html>oops</html>') });
    await page.getByRole('button', { name: 'Save and check' }).click();
    await page.locator('#metadata-file-error').waitFor();
    await screenshot(page, 'portal-02-metadata-error-light');
    await page.getByLabel('Metadata file (.xml)').setInputFiles({ name: 'okta-metadata.xml', mimeType: 'text/xml', buffer: Buffer.from(idp.metadataXml()) });
    await page.getByRole('button', { name: 'Save and check' }).click();
    await page.getByText('Waiting for a successful test').waitFor();
    await screenshot(page, 'portal-03-ready-to-test-light');
    expect(await axeFindings(page)).toEqual([]);

    await page.getByRole('button', { name: 'Test sign-in' }).click();
    await page.waitForURL(/\/portal\/sso\/test\/sso_session_/);
    await page.getByText('Test sign-in succeeded.').waitFor();
    await page.getByRole('definition').filter({ hasText: 'ada@acme.com' }).waitFor();
    // Beside the profile, the attributes as the IdP sent them.
    await page.getByRole('table', { name: 'Attributes your identity provider sent' }).getByRole('cell', { name: 'firstName' }).waitFor();
    await page.getByText('Single sign-on is now active').waitFor();
    await screenshot(page, 'portal-04-test-success-light');
    expect(await axeFindings(page)).toEqual([]);

    await page.getByRole('button', { name: 'Finish setup' }).click();
    await page.waitForURL(`${APP}/sso-done`);
    await context.close();
  });

  it('shows a failed test sign-in with its diagnosis and the fix, at 390 px in dark mode', async () => {
    const { link, org } = await portalLink('sso', 'Globex');
    const { context, page } = await newPage({ width: 390, dark: true });
    const idp = new BrowserIdp();
    const [connection] = [{ acsUrl: '', spEntityId: '' }];
    await serveIdp(context, idp, () => connection, keys.otherIdp);
    await page.goto(link);
    await page.getByRole('button', { name: 'Microsoft Entra ID' }).click();
    await page.getByRole('heading', { name: 'Create the application in Microsoft Entra ID' }).waitFor();
    connection.acsUrl = (await page.locator('.portal-copy').first().locator('code').textContent())!;
    connection.spEntityId = (await page.locator('.portal-copy').nth(1).locator('code').textContent())!;
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'portal-05-steps-390-dark');
    expect(await axeFindings(page)).toEqual([]);
    await page.getByRole('button', { name: 'Enter manually' }).click();
    await page.getByLabel('SSO URL (sign-on URL)').fill(idp.ssoUrl);
    await page.getByRole('button', { name: 'Save and check' }).click();
    await page.getByText('Enter the entity ID (issuer) from your identity provider.').waitFor();
    await page.getByLabel('Entity ID (issuer)').fill(idp.entityId);
    await page.getByLabel('Signing certificate (X.509, PEM)').fill(idp.signingKey.cert);
    await page.getByRole('button', { name: 'Save and check' }).click();
    await page.getByText('Waiting for a successful test').waitFor();
    await page.getByRole('button', { name: 'Test sign-in' }).click();
    await page.waitForURL(/\/portal\/sso\/test\//);
    await page.getByText('Invalid X509 Certificate: Signed with another certificate').waitFor();
    await page.getByText('Upload the IdP’s current signing certificate').waitFor();
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'portal-06-test-failed-390-dark');
    expect(await axeFindings(page)).toEqual([]);
    const [row] = await app.db.query('SELECT state FROM connections WHERE organization_id = $1', [org.id]);
    expect(row.state).toBe('validating');
    await context.close();
  });

  it('tells the IT admin to ask for a new link when the link has expired or was used', async () => {
    const { link, org } = await portalLink('sso', 'Initech');
    await app.db.query(`UPDATE portal_links SET expires_at = now() - interval '1 minute' WHERE organization_id = $1`, [org.id]);
    for (const [dark, width] of [[false, 1280], [true, 390]] as const) {
      const { context, page } = await newPage({ dark, width });
      const res = await page.goto(link);
      expect(res!.status()).toBe(410);
      await page.getByRole('heading', { name: 'Ask for a new setup link' }).waitFor();
      await page.getByText('This setup link has expired.').waitFor();
      await screenshot(page, `portal-07-expired-link-${dark ? 'dark-390' : 'light'}`);
      // And the portal itself, with no session, says the same instead of showing a broken page.
      await page.goto(`${portico.url}/portal/sso`);
      await page.getByRole('heading', { name: 'Ask for a new setup link' }).waitFor();
      await context.close();
    }
  });
});
