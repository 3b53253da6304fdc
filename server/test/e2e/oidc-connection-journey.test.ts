import type { Browser, BrowserContext, Page } from 'playwright-core';
import { uniqueEmail } from '../helpers/factories';
import { describeInBrowser, launchChromium, screenshot } from '../helpers/browser';
import { startPorticoProcess, type PorticoProcess } from '../helpers/process';
import { TEST_SECRET_KEY } from '../helpers/app';
import { signUpInBrowser } from '../helpers/sign-up-journey';
import { axeViolations, describeViolations, sidewaysScroll } from '../helpers/axe';
import { ForgingIdp } from '../helpers/oidc-forge';

/**
 * The IT admin's OIDC setup as the app team does it in the dashboard: Add connection → OpenID Connect → discovery
 * URL, client ID and secret → the connection page (redirect URI to register, secret shown only as set) → Test sign-in
 * in a real browser through a local OpenID Provider → the result page and the Sessions tab.
 */
describeInBrowser('OIDC connection journey: create from a discovery URL, test a sign-in, read the session', () => {
  let portico: PorticoProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let idp: ForgingIdp;

  beforeAll(async () => {
    idp = await new ForgingIdp('portico-e2e', 'e2e-client-secret').start();
    portico = await startPorticoProcess({ DATABASE_URL: process.env.PORTICO_TEST_DATABASE_URL!, PORTICO_SEED_DEMO: 'false', PORTICO_SECRET_KEY: TEST_SECRET_KEY, PORTICO_ALLOW_PRIVATE_URLS: 'true' });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light', bypassCSP: true });
    page = await context.newPage();
    await signUpInBrowser(page, portico, { name: 'Ada Lovelace', email: uniqueEmail('oidc'), password: 'a-long-and-happy-passphrase', workspaceName: 'Engines Ltd' });
  }, 180_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await portico?.stop();
    await idp?.close();
  });

  const look = async (name: string, ready: () => Promise<unknown>) => {
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      for (const width of [390, 1024, 1440]) {
        await page.setViewportSize({ width, height: 900 });
        await ready();
        if (width < 1440) {
          const scroll = await sidewaysScroll(page);
          expect({ name, width, theme, culprits: scroll.scrollWidth > scroll.innerWidth ? scroll.culprits : [] }).toEqual({ name, width, theme, culprits: [] });
        }
        await screenshot(page, `oidc-${name}-${theme}-${width}`);
      }
      expect(describeViolations(name, await axeViolations(page))).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1440, height: 900 });
  };

  it('creates the connection, tests a sign-in through the IdP and lists it', async () => {
    const gql = async (query: string, variables: Record<string, unknown> = {}) => (await (await page.request.post(`${portico.url}/graphql`, { data: { query, variables } })).json()).data;
    const { viewer } = await gql('{ viewer { workspace { environments { id kind } } } }');
    const staging = viewer.workspace.environments.find((e: { kind: string }) => e.kind === 'STAGING');
    const org = (await gql('mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }', { input: { environmentId: staging.id, name: 'Acme OIDC', domains: ['acme-oidc.com'] } })).createOrganization;
    await page.goto(`${portico.url}/dashboard/organizations/${org.id}`);
    await page.getByRole('heading', { name: 'Acme OIDC', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Add connection' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add connection' });
    await dialog.getByRole('button', { name: 'OpenID Connect' }).click();
    await dialog.getByLabel('Identity provider').selectOption('GenericOIDC');
    await dialog.getByLabel('Discovery URL').fill(idp.issuer);
    await dialog.getByLabel('Client ID').fill('portico-e2e');
    await dialog.getByLabel('Client secret').fill('e2e-client-secret');
    await look('create-dialog', () => dialog.getByLabel('Scopes').waitFor());
    await dialog.getByRole('button', { name: 'Create connection' }).click();

    await page.getByRole('heading', { name: 'Relying party details' }).waitFor();
    expect(await page.getByText(`${portico.url}/sso/oauth/callback`).first().isVisible()).toBe(true);
    expect(await page.getByText('e2e-client-secret').count()).toBe(0);
    await look('connection', () => page.getByRole('heading', { name: 'Claim mapping' }).waitFor());
    const connectionUrl = page.url();

    const [tab] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: /Test sign-in/ }).click()]);
    await tab.getByTestId('test-result-title').waitFor({ timeout: 30_000 });
    expect(await tab.getByTestId('test-result-title').textContent()).toMatch(/succe/i);
    await tab.close();

    // A refused sign-in (an ID token for another client): its session page says why.
    idp.next = { claims: { aud: 'another-client' } };
    const [failedTab] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: /Test sign-in/ }).click()]);
    await failedTab.getByTestId('test-result-title').waitFor({ timeout: 30_000 });
    expect(await failedTab.getByTestId('test-result-title').textContent()).toMatch(/failed/i);
    const failedId = new URL(failedTab.url()).pathname.split('/').pop()!;
    await failedTab.close();
    await page.goto(`${portico.url}/dashboard/sessions/${failedId}`);
    await look('session-failed', () => page.getByRole('heading', { level: 1 }).waitFor());

    await page.goto(`${connectionUrl}/sessions`);
    await look('sessions-tab', () => page.getByText('ada@acme-oidc.com').first().waitFor());
    await page.getByRole('heading', { level: 1 }).getByText('Active').waitFor();
  }, 300_000);
});
