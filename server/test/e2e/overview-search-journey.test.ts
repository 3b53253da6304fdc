import path from 'node:path';
import { Client } from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TEST_SECRET_KEY } from '../helpers/app';
import { axeViolations, describeViolations, sidewaysScroll } from '../helpers/axe';
import { describeInBrowser, launchChromium, screenshot, SCREENSHOT_DIR } from '../helpers/browser';
import { uniqueEmail } from '../helpers/factories';
import { startPorticoProcess, type PorticoProcess } from '../helpers/process';
import { entraUser } from '../helpers/scim';
import { signUpInBrowser } from '../helpers/sign-up-journey';
import { startSignIn, TestIdp, type ResponseOptions } from '../helpers/sso';
import { keys } from '../saml/forge';

const CALLBACK = 'http://localhost:4100/callback';
const THEMES = ['light', 'dark'] as const;
const WIDTHS = [390, 1024, 1440] as const;

describeInBrowser('Overview, the Production band and the ⌘K palette in Chromium', () => {
  let portico: PorticoProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const idp = new TestIdp();
  const ids: Record<string, string> = {};
  let staging: { id: string; clientId: string };
  let apiKey: string;

  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await page.request.post(`${portico.url}/graphql`, { data: { query, variables }, headers: { 'content-type': 'application/json' } });
    const body = await res.json();
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };

  /** A real SP-initiated sign-in: authorize → (IdP) → ACS → token; the session's ID is read from the Sessions tab's API. */
  async function signIn(connection: { id: string; acsUrl: string; spEntityId: string }, opts: ResponseOptions): Promise<void> {
    const started = await startSignIn(`${portico.url}/sso/authorize?${new URLSearchParams({ client_id: staging.clientId, redirect_uri: CALLBACK, response_type: 'code', connection: connection.id, state: 's' })}`);
    const response = await idp.response(connection, { inResponseTo: started.requestId, ...opts });
    const acs = await fetch(connection.acsUrl, { method: 'POST', body: new URLSearchParams({ SAMLResponse: response, RelayState: started.relayState! }), redirect: 'manual' });
    if (!acs.headers.get('location')) throw new Error('ACS answered ' + acs.status + ': ' + (await acs.text()).slice(0, 2000));
    const code = new URL(acs.headers.get('location')!).searchParams.get('code');
    if (code) {
      const token = await fetch(`${portico.url}/sso/token`, { method: 'POST', body: new URLSearchParams({ client_id: staging.clientId, grant_type: 'authorization_code', code, client_secret: apiKey }) });
      expect(token.status).toBe(200);
    }
  }

  /** `fullPage: false` for a modal: its backdrop covers the viewport, not the whole page. */
  async function shots(name: string, ready: () => Promise<unknown>, fullPage = true) {
    const overflowing: string[] = [];
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme });
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 900 });
        await ready();
        const { scrollWidth, innerWidth, culprits } = await sidewaysScroll(page);
        if (scrollWidth > innerWidth) overflowing.push(`${name} (${theme}, ${width} px): ${scrollWidth} > ${innerWidth} — ${culprits.join(', ')}`);
        if (fullPage) await screenshot(page, `${name}-${theme}-${width}`);
        else await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${theme}-${width}.png`) });
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(overflowing).toEqual([]);
  }

  async function axeInBothThemes(where: string, ready: () => Promise<unknown>) {
    const found: string[] = [];
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme });
      await ready();
      found.push(...describeViolations(`${where} (${theme})`, await axeViolations(page)));
    }
    await page.emulateMedia({ colorScheme: 'light' });
    expect(found).toEqual([]);
  }

  const gotoOverview = async () => {
    await page.goto(`${portico.url}/dashboard/`);
    await page.getByRole('region', { name: 'Sign-ins' }).waitFor();
  };

  beforeAll(async () => {
    portico = await startPorticoProcess({ DATABASE_URL: process.env.PORTICO_TEST_DATABASE_URL!, PORTICO_SEED_DEMO: 'false', PORTICO_SECRET_KEY: TEST_SECRET_KEY, PORT: String(4300 + (process.pid % 90)) });
    browser = await launchChromium();
    // axe is injected as a script; Portico's CSP (script-src 'self') would refuse it, so this context bypasses CSP.
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light', bypassCSP: true });
    page = await context.newPage();
    await signUpInBrowser(page, portico, { name: 'Mary Jackson', email: uniqueEmail('overview'), password: 'a-long-and-happy-passphrase', workspaceName: 'Wind Tunnel Co' });
    const { viewer } = await gql('{ viewer { workspace { id environments { id kind clientId } } } }');
    staging = viewer.workspace.environments.find((e: { kind: string }) => e.kind === 'STAGING');
    ids.workspace = viewer.workspace.id;
    ids.production = viewer.workspace.environments.find((e: { kind: string }) => e.kind === 'PRODUCTION').id;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await portico?.stop();
  });

  it('shows a brand-new environment its checklist with nothing done and an empty state in every card', async () => {
    await gotoOverview();
    // Staging starts with the built-in Test Organization and its active connection to the test IdP: the team's own
    // steps stay unticked, and the connections card shows that one connection rather than an empty state.
    await page.getByRole('progressbar', { name: '0 of 6 done' }).waitFor();
    for (const title of ['No failed sign-ins', 'No directories yet', 'Nothing expires soon']) {
      expect(await page.getByRole('heading', { name: title }).isVisible()).toBe(true);
    }
    await shots('overview-empty', gotoOverview);
  }, 120_000);

  it('ticks the checklist and fills the figures from real sign-ins and a SCIM sync, and links a top error to the filtered Sessions tab', async () => {
    apiKey = (await gql('mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', { input: { environmentId: staging.id, name: 'overview' } })).createApiKey.secret;
    await gql('mutation($input: AddRedirectUriInput!) { addRedirectUri(input: $input) { id } }', { input: { environmentId: staging.id, uri: CALLBACK } });
    const org = (await gql('mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }', { input: { environmentId: staging.id, name: 'Acme', domains: ['acme.com'] } })).createOrganization;
    const connection = (await gql('mutation($input: CreateSamlConnectionInput!) { createSamlConnection(input: $input) { id acsUrl spEntityId } }', { input: { organizationId: org.id, connectionType: 'OktaSAML', metadataXml: idp.metadataXml() } })).createSamlConnection;
    ids.connection = connection.id;
    await signIn(connection, {});
    await signIn(connection, { signWith: keys.otherIdp });
    await signIn(connection, { signWith: keys.otherIdp });
    await signIn(connection, { nameId: 'eve@elsewhere.com', attributes: { id: 'u2', email: 'eve@elsewhere.com', firstName: 'Eve', lastName: 'Ng' } });
    const sessions = (await gql('query($id: ID!) { connection(id: $id) { sessions(first: 10) { edges { node { id state error } } } } }', { id: connection.id })).connection.sessions.edges.map((e: { node: { id: string } }) => e.node);
    ids.session = sessions.find((s: { state: string }) => s.state === 'SUCCESSFUL').id;
    const other = await gql('mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }', { input: { environmentId: staging.id, name: 'Initech', domains: ['initech.example'] } });
    await gql('mutation($input: CreateSamlConnectionInput!) { createSamlConnection(input: $input) { id } }', { input: { organizationId: other.createOrganization.id, connectionType: 'ADFSSAML', metadataXml: new TestIdp(keys.expiredIdp).metadataXml() } });
    const { createDirectory } = await gql('mutation($input: CreateDirectoryInput!) { createDirectory(input: $input) { token directory { id } } }', { input: { organizationId: org.id, type: 'azure scim v2.0' } });
    const created = await fetch(`${portico.url}/scim/v2/${createDirectory.directory.id}/Users`, { method: 'POST', headers: { authorization: `Bearer ${createDirectory.token}`, 'content-type': 'application/scim+json' }, body: JSON.stringify(entraUser('grace@acme.com')) });
    expect(created.status).toBe(201);
    ids.directoryUser = (await created.json()).id;

    await gotoOverview();
    await page.getByRole('region', { name: 'You’re set up' }).waitFor();
    const signIns = page.getByRole('region', { name: 'Sign-ins' });
    expect(await signIns.getByText('4', { exact: true }).count()).toBe(2);
    expect(await signIns.getByText('75%', { exact: true }).count()).toBe(2);
    expect(await page.getByRole('link', { name: /ADFS|Initech/ }).first().isVisible()).toBe(true);
    await shots('overview-populated', gotoOverview);
    await axeInBothThemes('overview', gotoOverview);

    await page.getByRole('region', { name: 'Top errors' }).getByRole('link', { name: /Invalid X509 Certificate/ }).click();
    await page.waitForURL(`**/connections/${connection.id}/sessions?status=FAILED&error=INVALID_X509_CERTIFICATE`);
    await page.locator('tbody tr').nth(1).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(2);
    expect(await page.getByLabel('Error').inputValue()).toBe('INVALID_X509_CERTIFICATE');
  }, 180_000);

  it('finds a session by its pasted ID with ⌘K / Ctrl+K and opens it', async () => {
    await gotoOverview();
    await page.keyboard.press('ControlOrMeta+k');
    const input = page.getByRole('combobox', { name: 'Search Staging' });
    await input.waitFor();
    expect(await input.evaluate((el) => el === document.activeElement)).toBe(true);
    await input.fill(ids.session!);
    await page.waitForURL(`**/sessions/${ids.session}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.getByRole('dialog', { name: 'Search Staging' }).isVisible()).toBe(false);
  }, 60_000);

  it('finds a directory user by email with "/", chosen with the arrow keys and Enter', async () => {
    await gotoOverview();
    await page.locator('body').press('/');
    const input = page.getByRole('combobox', { name: 'Search Staging' });
    await input.pressSequentially('grace@acme.com');
    const option = page.getByRole('option', { name: /grace@acme\.com.*Directory user|Directory user/ }).first();
    await option.waitFor();
    const options = await page.getByRole('option').allTextContents();
    const index = options.findIndex((o) => o.includes('Directory user'));
    expect(index).toBeGreaterThanOrEqual(0);
    await shots('palette', async () => { await page.getByRole('option').first().waitFor(); }, false);
    await axeInBothThemes('palette', async () => { await page.getByRole('option').first().waitFor(); });
    for (let i = 0; i < index; i += 1) await input.press('ArrowDown');
    expect(await page.locator('[role="option"][aria-selected="true"]').textContent()).toContain('Directory user');
    await input.press('Enter');
    await page.waitForURL(`**/directory-users/${ids.directoryUser}`);
  }, 120_000);

  it('closes with Escape, returning focus to the Search button, and finds nothing of another environment', async () => {
    await gotoOverview();
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('combobox', { name: 'Search Staging' }).fill('zzzz-nothing');
    await page.getByText('No results for “zzzz-nothing” in Staging.').waitFor();
    await page.keyboard.press('Escape');
    expect(await page.getByRole('dialog', { name: 'Search Staging' }).isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.classList.contains('search-trigger'))).toBe(true);
  }, 60_000);

  it('shows the Production band in Production only, in words, on every page', async () => {
    await gotoOverview();
    expect(await page.getByRole('note', { name: 'Environment' }).count()).toBe(0);
    const db = new Client({ connectionString: process.env.PORTICO_TEST_DATABASE_URL });
    await db.connect();
    await db.query(`INSERT INTO workspace_billing (workspace_id, company_name, address_line1, city, postal_code, country, card_brand, card_last4, card_exp_month, card_exp_year, payment_token)
      VALUES ($1, 'Wind Tunnel Co', '1 Main St', 'Hampton', '23669', 'US', 'visa', '4242', 12, 2099, 'tok_test') ON CONFLICT DO NOTHING`, [ids.workspace]);
    await db.end();
    await page.reload();
    await page.getByRole('button', { name: /^Environment: Staging/ }).click();
    await page.getByRole('menuitemradio', { name: /Production/ }).click();
    await page.getByRole('heading', { name: 'Production overview' }).waitFor();
    const band = page.getByRole('note', { name: 'Environment' });
    expect(await band.textContent()).toContain('Production');
    expect(await page.title()).toBe('Production · Portico');
    await page.getByRole('progressbar', { name: '0 of 6 done' }).waitFor();
    await shots('overview-production', async () => { await page.getByRole('region', { name: 'Sign-ins' }).waitFor(); });
    await axeInBothThemes('production overview', async () => { await page.getByRole('region', { name: 'Sign-ins' }).waitFor(); });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Organizations' }).click().catch(async () => {
      await page.goto(`${portico.url}/dashboard/organizations`);
    });
    await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
    expect(await band.isVisible()).toBe(true);
    // Production's search finds none of Staging's objects, even by exact ID.
    await page.keyboard.press('ControlOrMeta+k');
    await page.getByRole('combobox', { name: 'Search Production' }).fill(ids.session!);
    await page.getByText('Nothing in Production has this ID.').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: /^Environment: Production/ }).click();
    await page.getByRole('menuitemradio', { name: /Staging/ }).click();
    await page.getByRole('heading', { name: 'Staging overview' }).waitFor().catch(() => undefined);
    expect(await band.count()).toBe(0);
  }, 120_000);
});
