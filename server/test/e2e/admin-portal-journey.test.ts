import fs from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { WorkOS } from '@workos-inc/node';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { keys } from '../saml/forge';
import { startTestApp, TEST_SECRET_KEY, type TestApp } from '../helpers/app';
import { describeInBrowser, launchChromium, screenshot } from '../helpers/browser';
import { buildPortalSetup } from '../helpers/portal';
import { startPorticoProcess, type PorticoProcess } from '../helpers/process';
import { TestIdp, type ResponseOptions } from '../helpers/sso';
import { axeViolations, describeViolations } from '../helpers/axe';

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
async function serveIdp(context: BrowserContext, idp: TestIdp, sp: () => { acsUrl: string; spEntityId: string }, opts: () => ResponseOptions = () => ({})) {
  await context.route(`${idp.ssoUrl}**`, async (route) => {
    const url = new URL(route.request().url());
    const xml = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
    const inResponseTo = /ID="([^"]+)"/.exec(xml)![1]!;
    const response = await idp.response(sp(), { ...opts(), inResponseTo });
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
    await page.getByRole('button', { name: 'Okta', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Create the application in Okta' }).waitFor();
    expect(await page.getByRole('button', { name: 'Okta', exact: true }).getAttribute('aria-pressed')).toBe('true');
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
    await serveIdp(context, idp, () => connection, () => ({ signWith: keys.otherIdp }));
    await page.goto(link);
    await page.getByRole('button', { name: 'Microsoft Entra ID', exact: true }).click();
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
    await page.getByText('Download its current metadata (or signing certificate), upload it in step 3').waitFor();
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'portal-06-test-failed-390-dark');
    expect(await axeFindings(page)).toEqual([]);
    const [row] = await app.db.query('SELECT state FROM connections WHERE organization_id = $1', [org.id]);
    expect(row.state).toBe('validating');
    await context.close();
  });

  it('diagnoses each way a test sign-in fails, in the IT admin’s words, and “Try again” starts a new test each time', async () => {
    const { link, org } = await portalLink('sso', 'Umbrella');
    const { context, page } = await newPage({ width: 1024 });
    const idp = new BrowserIdp();
    let sp = { acsUrl: '', spEntityId: '' };
    const HOUR = 3600_000;
    const noEmail = { id: 'okta-user-2', firstName: 'Grace', lastName: 'Hopper', groups: ['Engineering'] };
    // What the IdP answers to each test in turn: each a way the dashboard diagnoses, then a good response.
    const scenarios: { name: string; response: () => ResponseOptions; error: string; title: string; fix: string; details: (page: Page) => Promise<void> }[] = [
      {
        name: 'missing-attributes', response: () => ({ nameId: 'okta-user-2', attributes: noEmail }),
        error: 'Invalid Attributes', title: 'Required attributes are missing',
        fix: 'In your identity provider, add an attribute statement for each attribute listed as missing below, named exactly as shown, then test again.',
        details: async (p) => {
          const missing = p.getByRole('list', { name: 'Missing attributes' });
          expect(await missing.getByRole('listitem').allTextContents()).toEqual(['Email: an attribute named email']);
          // What the IdP did send, to compare with: no email among them.
          const sent = p.getByRole('table', { name: 'Attributes your identity provider sent' });
          await sent.getByRole('cell', { name: 'firstName' }).waitFor();
          expect(await sent.getByRole('cell', { name: 'email', exact: true }).count()).toBe(0);
        },
      },
      {
        name: 'certificate-mismatch', response: () => ({ signWith: keys.otherIdp }),
        error: 'Invalid X509 Certificate', title: 'Signed with another certificate',
        fix: 'Your identity provider signed the response with another certificate than the one saved in step 3. Download its current metadata (or signing certificate), upload it in step 3, then test again.',
        details: async (p) => {
          const terms = await p.getByRole('term').allTextContents();
          const values = await p.getByRole('definition').allTextContents();
          expect(terms).toEqual(['Certificate saved in step 3', 'Certificate that signed the response', 'Its subject']);
          expect(values[0]).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
          expect(values[1]).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
          expect(values[1]).not.toBe(values[0]);
          expect(values[2]).toBe('CN=portico-test-other-idp, O=Portico tests');
        },
      },
      {
        name: 'clock-ahead', response: () => ({ now: new Date(Date.now() + HOUR) }),
        error: 'Malformed SAML Response', title: 'The assertion is not valid yet',
        fix: 'Your identity provider’s clock is ahead of the correct time. Sync the identity provider server’s clock with an internet time source (NTP), then test again.',
        details: async (p) => {
          expect(await p.getByRole('definition').filter({ hasText: /^at or after / }).count()).toBe(1);
          await p.getByRole('term').filter({ hasText: 'Portico’s clock read' }).waitFor();
        },
      },
      {
        name: 'clock-behind', response: () => ({ now: new Date(Date.now() - HOUR) }),
        error: 'Malformed SAML Response', title: 'The assertion has expired',
        fix: 'The response arrived after its validity window: your identity provider’s clock is behind, or its page waited too long before sending you back. Sync the identity provider server’s clock (NTP), then test again.',
        details: async (p) => { expect(await p.getByRole('definition').filter({ hasText: /^before / }).count()).toBe(1); },
      },
      {
        name: 'domain-not-allowed', response: () => ({ nameId: 'eve@contractor.example', attributes: { id: 'okta-user-3', email: 'eve@contractor.example', firstName: 'Eve', lastName: 'Contractor' } }),
        error: 'Profile Not Allowed Outside Organization', title: 'The user’s email domain is not the organization’s',
        fix: 'Test with a user whose email address is at one of your organization’s domains, listed below. If this domain is your organization’s too, ask the app’s support to add it to your organization.',
        details: async (p) => {
          const terms = await p.getByRole('term').allTextContents();
          const values = await p.getByRole('definition').allTextContents();
          expect(values[terms.indexOf('Your organization’s domains')]).toBe('acme.com');
          expect(values[terms.indexOf('This user’s email domain')]).toBe('contractor.example');
        },
      },
    ];
    let current: () => ResponseOptions = () => ({});
    await serveIdp(context, idp, () => sp, () => current());

    await page.goto(link);
    await page.getByRole('button', { name: 'Okta', exact: true }).click();
    await page.getByRole('heading', { name: 'Create the application in Okta' }).waitFor();
    sp = { acsUrl: (await page.locator('.portal-copy').first().locator('code').textContent())!, spEntityId: (await page.locator('.portal-copy').nth(1).locator('code').textContent())! };
    await page.getByLabel('Metadata file (.xml)').setInputFiles({ name: 'okta-metadata.xml', mimeType: 'text/xml', buffer: Buffer.from(idp.metadataXml()) });
    await page.getByRole('button', { name: 'Save and check' }).click();
    await page.getByText('Waiting for a successful test').waitFor();

    const seen = new Set<string>();
    for (const [i, scenario] of scenarios.entries()) {
      current = scenario.response;
      // The first test starts from the steps; each next one from the previous result's “Try again”, with no detour.
      await page.getByRole('button', { name: i === 0 ? 'Test sign-in' : 'Try again' }).click();
      await page.waitForURL((url) => /\/portal\/sso\/test\/sso_session_/.test(url.pathname) && !seen.has(url.pathname));
      seen.add(new URL(page.url()).pathname);
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect((await alert.textContent())!.trim()).toBe(`${scenario.error}: ${scenario.title}`);
      await page.getByRole('heading', { name: 'Test sign-in result', level: 2 }).waitFor();
      const fixHeading = page.getByRole('heading', { name: 'How to fix it', level: 3 });
      expect(await fixHeading.locator('xpath=following-sibling::p[1]').textContent()).toBe(scenario.fix);
      await scenario.details(page);
      await page.getByRole('link', { name: 'Back to the steps' }).waitFor();
      expect(await page.getByRole('button', { name: 'Finish setup' }).count()).toBe(0);
      const violations = await axeViolations(page);
      expect(describeViolations(scenario.name, violations)).toEqual([]);
      await screenshot(page, `portal-diag-${String(i + 1).padStart(2, '0')}-${scenario.name}-1024-light`);
      const [row] = await app.db.query('SELECT state FROM connections WHERE organization_id = $1', [org.id]);
      expect(row.state).toBe('validating');
    }

    // Fixed at the IdP: “Try again” once more, and the connection turns on.
    current = () => ({});
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByText('Test sign-in succeeded.').waitFor();
    expect(seen.has(new URL(page.url()).pathname)).toBe(false);
    expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Finish setup' }).waitFor();
    const [sessions] = await app.db.query(`SELECT count(*)::int AS n FROM sso_sessions WHERE connection_id = (SELECT id FROM connections WHERE organization_id = $1)`, [org.id]);
    expect(sessions.n).toBe(scenarios.length + 1);
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
