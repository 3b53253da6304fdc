import { WorkOS } from '@workos-inc/node';
import type { Browser, BrowserContext, Cookie, Page } from 'playwright-core';
import { startTestApp, TEST_SECRET_KEY, type TestApp } from '../helpers/app';
import { axeViolations, describeViolations, sidewaysScroll } from '../helpers/axe';
import { describeInBrowser, launchChromium, screenshot } from '../helpers/browser';
import { buildPortalSetup } from '../helpers/portal';
import { startPorticoProcess, type PorticoProcess } from '../helpers/process';
import { ENTERPRISE, entraUser } from '../helpers/scim';

const APP = 'https://app.example.com';
const DEPARTMENT = `${ENTERPRISE}.department`;

/**
 * Entra ID's provisioning service as Portico meets it: for each assigned user it first asks whether the user exists
 * (GET /Users?filter=userName eq …), then creates it; for a group, the same, then PATCHes its members in.
 */
class EntraProvisioning {
  constructor(readonly tenantUrl: string, readonly secretToken: string) {}

  async request(method: string, path: string, body?: unknown) {
    const res = await fetch(`${this.tenantUrl}${path}`, {
      method, headers: { authorization: `Bearer ${this.secretToken}`, 'content-type': 'application/scim+json', accept: 'application/scim+json', 'user-agent': 'Azure-AD-SCIM-Provisioning' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  async provisionUser(email: string, name: { givenName: string; familyName: string }, department: string): Promise<string> {
    const exists = await this.request('GET', `/Users?filter=${encodeURIComponent(`userName eq "${email}"`)}`);
    expect(exists).toMatchObject({ status: 200, body: { totalResults: 0 } });
    const user = entraUser(email);
    const created = await this.request('POST', '/Users', { ...user, name: { ...name, formatted: `${name.givenName} ${name.familyName}` }, displayName: `${name.givenName} ${name.familyName}`, [ENTERPRISE]: { ...(user[ENTERPRISE] as object), department } });
    expect(created.status).toBe(201);
    return created.body.id as string;
  }

  async provisionGroup(displayName: string, memberIds: string[]): Promise<void> {
    const exists = await this.request('GET', `/Groups?filter=${encodeURIComponent(`displayName eq "${displayName}"`)}&excludedAttributes=members`);
    expect(exists).toMatchObject({ status: 200, body: { totalResults: 0 } });
    const created = await this.request('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], externalId: displayName.toLowerCase(), displayName, members: [] });
    expect(created.status).toBe(201);
    const patched = await this.request('PATCH', `/Groups/${created.body.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Add', path: 'members', value: memberIds.map((value) => ({ value })) }],
    });
    expect([200, 204]).toContain(patched.status);
  }
}

describeInBrowser('the Admin Portal’s Directory Sync in Chromium, as a customer’s IT admin', () => {
  let portico: PorticoProcess;
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startTestApp();
    portico = await startPorticoProcess({ DATABASE_URL: process.env.PORTICO_TEST_DATABASE_URL!, PORTICO_SEED_DEMO: 'false', PORTICO_SECRET_KEY: TEST_SECRET_KEY });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await portico?.stop();
    await app?.close();
  });

  async function dsyncLink(orgName = 'Acme') {
    const setup = await buildPortalSetup(app, orgName);
    await app.db.query(`INSERT INTO admin_portal_settings (environment_id, display_name, brand_color, updated_at) VALUES ($1, 'Northwind HR', '#0f766e', now())`, [setup.environment.id]);
    await app.db.query(`UPDATE workspaces SET support_email = 'help@northwind.example' WHERE id = $1`, [setup.team.workspace.id]);
    await setup.admin.data(`mutation($input: CreateCustomAttributeInput!) { createCustomAttribute(input: $input) { id } }`, { input: { environmentId: setup.environment.id, key: 'department', label: 'Department' } });
    const workos = new WorkOS(setup.apiKey, { apiHostname: '127.0.0.1', port: Number(new URL(portico.url).port), https: false, maxRetries: 0 });
    const { link } = await workos.adminPortal.generateLink({ intent: 'dsync' as never, organization: setup.org.id, returnUrl: `${APP}/settings`, successUrl: `${APP}/dsync-done` });
    return { ...setup, link, workos };
  }

  async function newPage(opts: { width?: number; dark?: boolean; cookies?: Cookie[] } = {}): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: opts.width ?? 1440, height: 900 }, colorScheme: opts.dark ? 'dark' : 'light', bypassCSP: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: portico.url });
    await context.route(`${APP}/**`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>App</title><h1>Back in the app</h1>' }));
    if (opts.cookies) await context.addCookies(opts.cookies);
    return { context, page: await context.newPage() };
  }

  async function accessible(page: Page, where: string) {
    expect(describeViolations(where, await axeViolations(page))).toEqual([]);
    const sideways = await sidewaysScroll(page);
    expect(sideways.culprits).toEqual([]);
    expect(sideways.scrollWidth).toBeLessThanOrEqual(sideways.innerWidth);
  }

  const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

  it('picks Entra ID, copies the Tenant URL and Secret Token, sees users provisioned by Entra arrive without a reload, maps department, and finishes', async () => {
    const { link, org, workos } = await dsyncLink();
    const { context, page } = await newPage();
    await page.goto(link);
    await page.waitForURL(/\/portal\/dsync$/);
    await page.getByRole('heading', { name: 'Set up directory sync', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Choose your directory provider' }).waitFor();
    await screenshot(page, 'portal-dsync-01-choose-1440-light');
    await accessible(page, 'choose provider');

    // Keyboard: the provider choices are buttons reached with Tab and pressed with Enter.
    await page.getByRole('button', { name: 'Microsoft Entra ID' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Connect Microsoft Entra ID' }).waitFor();
    await page.getByText('it is shown only once').waitFor();

    await page.getByRole('button', { name: 'Copy Tenant URL' }).click();
    const tenantUrl = await clipboard(page);
    await page.getByRole('button', { name: 'Copy Secret Token' }).click();
    const secretToken = await clipboard(page);
    expect(tenantUrl).toMatch(new RegExp(`^${portico.url}/scim/v2/directory_`));
    expect(secretToken).toMatch(/^scim_[A-Za-z0-9]{48}$/);
    await page.getByText('Waiting for Microsoft Entra ID').waitFor();
    await screenshot(page, 'portal-dsync-02-token-once-1440-light');
    await accessible(page, 'token shown once');

    // Entra's provisioning cycle, with what the admin pasted.
    const entra = new EntraProvisioning(tenantUrl, secretToken);
    const grace = await entra.provisionUser('grace@acme.com', { givenName: 'Grace', familyName: 'Hopper' }, 'Navy');
    // The page shows her without a reload (it polls).
    await page.getByRole('cell', { name: /Grace Hopper/ }).waitFor({ timeout: 10_000 });
    await page.getByText('Directory status: Connected').waitFor();
    const katherine = await entra.provisionUser('katherine@acme.com', { givenName: 'Katherine', familyName: 'Johnson' }, 'Flight Research');
    await entra.provisionGroup('Engineering', [grace, katherine]);
    await page.getByText('2 users (2 active) and 1 group received.').waitFor({ timeout: 10_000 });
    await page.getByRole('table', { name: 'Latest groups' }).getByRole('cell', { name: 'Engineering' }).waitFor();
    // Polling brought users in; the token shown once is still on screen for this visit.
    expect(await page.getByText(secretToken).count()).toBe(1);

    await page.getByLabel(/Department/).selectOption(DEPARTMENT);
    await page.getByText(`department now comes from ${DEPARTMENT}.`).waitFor();
    const users = await workos.directorySync.listUsers({ directory: tenantUrl.split('/').pop()! });
    expect(users.data.map((u) => u.customAttributes).sort((a, b) => String(a.department).localeCompare(String(b.department)))).toEqual([{ department: 'Flight Research' }, { department: 'Navy' }]);
    await screenshot(page, 'portal-dsync-03-arrived-1440-light');
    await accessible(page, 'users arrived');

    // Every new page at 390, 1024 and 1440 px, light and dark, in the same portal session (token no longer shown).
    const cookies = await context.cookies();
    for (const width of [390, 1024, 1440]) {
      for (const dark of [false, true]) {
        const other = await newPage({ width, dark, cookies });
        await other.page.goto(`${portico.url}/portal/dsync`);
        await other.page.getByText('2 users (2 active) and 1 group received.').waitFor();
        await other.page.getByText(/Token ending in/).waitFor();
        expect(await other.page.getByText(secretToken).count()).toBe(0);
        await screenshot(other.page, `portal-dsync-04-live-${width}-${dark ? 'dark' : 'light'}`);
        await accessible(other.page, `live ${width} ${dark ? 'dark' : 'light'}`);
        await other.context.close();
      }
    }

    await page.getByRole('button', { name: 'Finish setup' }).click();
    await page.waitForURL(`${APP}/dsync-done`);
    const actions = (await app.db.query('SELECT action FROM portal_actions WHERE organization_id = $1 ORDER BY id', [org.id])).map((r: { action: string }) => r.action);
    expect(actions).toEqual(['link_generated', 'link_opened', 'directory_created', 'attribute_mapped', 'setup_completed']);
    await context.close();
  }, 480_000);

  it('rotates the token after asking, and tells the admin when the provider still sends the old one (390 px, dark)', async () => {
    const { link } = await dsyncLink('Globex');
    const { context, page } = await newPage({ width: 390, dark: true });
    await page.goto(link);
    await page.getByRole('button', { name: 'Okta' }).click();
    await page.getByRole('heading', { name: 'Connect Okta' }).waitFor();
    await page.getByText('SCIM connector base URL', { exact: true }).waitFor();
    const baseUrl = (await page.locator('.portal-copy').first().locator('code').textContent())!;
    const oldToken = (await page.locator('.portal-token code').first().textContent())!;
    await screenshot(page, 'portal-dsync-05-okta-steps-390-dark');
    await accessible(page, 'okta steps 390 dark');

    await page.getByRole('button', { name: 'Rotate token' }).click();
    await page.getByText('The current token stops working at once').waitFor();
    await screenshot(page, 'portal-dsync-06-rotate-confirm-390-dark');
    await accessible(page, 'rotate confirmation');
    await page.getByRole('button', { name: 'Rotate now' }).click();
    await page.getByRole('button', { name: 'Rotate token' }).waitFor();
    const newToken = (await page.locator('.portal-token code').first().textContent())!;
    expect(newToken).not.toBe(oldToken);

    const okta = new EntraProvisioning(baseUrl, oldToken);
    expect((await okta.request('GET', '/Users')).status).toBe(401);
    await page.getByText('is still sending the token you rotated out').waitFor({ timeout: 10_000 });
    await screenshot(page, 'portal-dsync-07-old-token-390-dark');
    expect((await new EntraProvisioning(baseUrl, newToken).request('GET', '/Users')).status).toBe(200);
    await context.close();
  }, 120_000);
});
