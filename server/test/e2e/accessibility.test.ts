import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { uniqueEmail } from '../helpers/factories';
import { describeInBrowser, launchChromium, screenshot } from '../helpers/browser';
import { startPorticoProcess, type PorticoProcess } from '../helpers/process';
import { CALLBACK, TestIdp, signInThroughPortico, type ResponseOptions } from '../helpers/sso';
import { TEST_SECRET_KEY } from '../helpers/app';
import { entraUser } from '../helpers/scim';
import { signUpInBrowser } from '../helpers/sign-up-journey';
import { axeViolations, describeViolations, sidewaysScroll } from '../helpers/axe';

const THEMES = ['light', 'dark'] as const;

describeInBrowser('Accessibility and small screens: axe finds nothing on any dashboard page, light or dark; nothing scrolls sideways at 390 or 1024 px', () => {
  let portico: PorticoProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const idp = new TestIdp();
  const ids: Record<string, string> = {};
  let clientId: string;
  let apiKey: string;

  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await page.request.post(`${portico.url}/graphql`, { data: { query, variables }, headers: { 'content-type': 'application/json' } });
    const body = await res.json();
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };

  const signIn = (connection: { id: string; acsUrl: string; spEntityId: string }, opts: ResponseOptions) => signInThroughPortico({ url: portico.url, clientId, apiKey, idp }, connection, opts);

  beforeAll(async () => {
    // Google at a closed loopback port: a sign-in with it fails at once (provider unreachable), a failed OAuth session to show.
    portico = await startPorticoProcess({ DATABASE_URL: process.env.PORTICO_TEST_DATABASE_URL!, PORTICO_SEED_DEMO: 'false', PORTICO_SECRET_KEY: TEST_SECRET_KEY, PORTICO_TEST_OAUTH_PROVIDER_URLS: 'GoogleOAuth=http://127.0.0.1:9' });
    browser = await launchChromium();
    // axe is injected as a script; Portico's CSP (script-src 'self') would refuse it, so this test context bypasses CSP.
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light', bypassCSP: true });
    page = await context.newPage();
    await signUpInBrowser(page, portico, { name: 'Grace Hopper', email: uniqueEmail('a11y'), password: 'a-long-and-happy-passphrase', workspaceName: 'Compilers Inc' });

    const { viewer } = await gql('{ viewer { workspace { environments { id kind clientId } } } }');
    const staging = viewer.workspace.environments.find((e: { kind: string }) => e.kind === 'STAGING');
    clientId = staging.clientId;
    apiKey = (await gql('mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', { input: { environmentId: staging.id, name: 'a11y' } })).createApiKey.secret;
    await gql('mutation($input: AddRedirectUriInput!) { addRedirectUri(input: $input) { id } }', { input: { environmentId: staging.id, uri: CALLBACK } });
    const org = (await gql('mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }', { input: { environmentId: staging.id, name: 'Acme', domains: ['acme.com'] } })).createOrganization;
    ids.organization = org.id;
    const connection = (await gql('mutation($input: CreateSamlConnectionInput!) { createSamlConnection(input: $input) { id acsUrl spEntityId } }', { input: { organizationId: org.id, connectionType: 'OktaSAML', metadataXml: idp.metadataXml() } })).createSamlConnection;
    ids.connection = connection.id;
    ids.success = await signIn(connection, {});
    ids.failed = await signIn(connection, { audience: 'https://someone-else.example/sp' });
    await gql('mutation($input: UpdateOAuthProviderInput!) { updateOAuthProvider(input: $input) { enabled } }', { input: { environmentId: staging.id, provider: 'GoogleOAuth', enabled: true, clientId: '4242-a11y.apps.googleusercontent.com', clientSecret: 'GOCSPX-a11y-secret' } });
    const refused = await fetch(`${portico.url}/sso/authorize?${new URLSearchParams({ client_id: clientId, provider: 'GoogleOAuth', redirect_uri: CALLBACK, response_type: 'code' })}`, { redirect: 'manual' });
    ids.oauthFailed = /Session (sso_session_\w+)/.exec(new URL(refused.headers.get('location')!).searchParams.get('error_description') ?? '')![1]!;

    const { createDirectory } = await gql('mutation($input: CreateDirectoryInput!) { createDirectory(input: $input) { token directory { id } } }', { input: { organizationId: org.id, type: 'azure scim v2.0' } });
    ids.directory = createDirectory.directory.id;
    const scim = (resource: string, body: object) => fetch(`${portico.url}/scim/v2/${ids.directory}/${resource}`, { method: 'POST', headers: { authorization: `Bearer ${createDirectory.token}`, 'content-type': 'application/scim+json' }, body: JSON.stringify(body) });
    for (const [email, manager] of [['grace@acme.com', 'mgr-1'], ['ada@acme.com', 'mgr-2']] as const) {
      const res = await scim('Users', entraUser(email, manager));
      expect(res.status).toBe(201);
    }
    expect((await scim('Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Engineering' })).status).toBe(201);
    const { directory } = await gql('query($id: ID!) { directory(id: $id) { users(first: 1) { edges { node { id } } } } }', { id: ids.directory });
    ids.directoryUser = directory.users.edges[0].node.id;
    await gql('mutation($input: CreateCustomAttributeInput!) { createCustomAttribute(input: $input) { id } }', { input: { environmentId: staging.id, key: 'manager', label: 'Manager' } });
    const { createWebhookEndpoint } = await gql('mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }',
      { input: { environmentId: staging.id, endpointUrl: 'https://hooks.compilers.example/portico', events: ['authentication.sso_succeeded', 'dsync.user.created'] } });
    ids.webhook = createWebhookEndpoint.endpoint.id;
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await portico?.stop();
  });

  /** Each main page, and what is on it once its data has loaded. */
  const pages = (): { name: string; path: string; ready: (p: Page) => Promise<unknown> }[] => [
    { name: 'overview', path: '/', ready: (p) => p.getByRole('heading', { name: 'Staging overview' }).waitFor() },
    { name: 'organizations', path: '/organizations', ready: (p) => p.getByRole('link', { name: 'Acme' }).first().waitFor() },
    { name: 'organization', path: `/organizations/${ids.organization}`, ready: (p) => p.getByRole('heading', { name: 'Acme', level: 1 }).waitFor() },
    { name: 'connection', path: `/connections/${ids.connection}`, ready: (p) => p.getByRole('heading', { level: 1 }).waitFor() },
    { name: 'sessions-tab', path: `/connections/${ids.connection}/sessions`, ready: (p) => p.locator('tbody tr').nth(1).waitFor() },
    { name: 'session-failed', path: `/sessions/${ids.failed}`, ready: (p) => p.getByRole('heading', { name: 'The assertion is addressed to another service provider' }).waitFor() },
    { name: 'oauth-session-failed', path: `/oauth-sessions/${ids.oauthFailed}`, ready: (p) => p.getByRole('heading', { name: 'Portico could not reach the provider' }).waitFor() },
    { name: 'session-successful', path: `/sessions/${ids.success}`, ready: (p) => p.getByLabel('SAML Response XML').waitFor() },
    { name: 'test-sign-in-start', path: '/test-sign-in/start', ready: (p) => p.getByText('No connection named.', { exact: false }).waitFor() },
    { name: 'test-sign-in-result', path: `/test-sign-in/${ids.success}`, ready: (p) => p.getByTestId('test-result-title').waitFor() },
    { name: 'directory', path: `/directories/${ids.directory}`, ready: (p) => p.getByRole('heading', { level: 1 }).waitFor() },
    { name: 'directory-users', path: `/directories/${ids.directory}/users`, ready: (p) => p.locator('tbody tr').nth(1).waitFor() },
    { name: 'directory-groups', path: `/directories/${ids.directory}/groups`, ready: (p) => p.getByText('Engineering').first().waitFor() },
    { name: 'directory-mapping', path: `/directories/${ids.directory}/mapping`, ready: (p) => p.getByRole('heading', { name: 'Custom attribute mapping' }).waitFor() },
    { name: 'directory-log', path: `/directories/${ids.directory}/log`, ready: (p) => p.locator('main tbody tr, main li').first().waitFor() },
    { name: 'directory-user', path: `/directory-users/${ids.directoryUser}`, ready: (p) => p.getByRole('heading', { level: 1 }).waitFor() },
    { name: 'configuration', path: '/configuration', ready: (p) => p.getByRole('heading', { name: 'Redirect URIs' }).first().waitFor() },
    { name: 'configuration-oauth', path: '/configuration/oauth', ready: (p) => p.getByRole('heading', { name: /Google/ }).first().waitFor() },
    { name: 'configuration-admin-portal', path: '/configuration/admin-portal', ready: (p) => p.getByLabel('Admin Portal redirect link').waitFor() },
    { name: 'configuration-custom-attributes', path: '/configuration/custom-attributes', ready: (p) => p.getByRole('cell', { name: 'manager', exact: true }).waitFor() },
    { name: 'configuration-webhooks', path: '/configuration/webhooks', ready: (p) => p.getByRole('link', { name: 'https://hooks.compilers.example/portico' }).waitFor() },
    { name: 'webhook-endpoint', path: `/configuration/webhooks/${ids.webhook}`, ready: (p) => p.getByRole('heading', { level: 1 }).waitFor() },
    { name: 'team', path: '/workspace/team', ready: (p) => p.locator('main [data-testid^="member-"]').first().waitFor() },
    { name: 'billing', path: '/workspace/billing', ready: (p) => p.getByRole('heading', { level: 1 }).waitFor() },
    { name: 'compliance', path: '/workspace/compliance', ready: (p) => p.getByRole('heading', { level: 1 }).waitFor() },
    { name: 'user-settings', path: '/settings/profile', ready: (p) => p.getByRole('heading', { level: 1 }).waitFor() },
    { name: 'outbox', path: '/workspace/outbox', ready: (p) => p.getByRole('heading', { level: 1 }).waitFor() },
    { name: 'workspace', path: '/workspace', ready: (p) => p.getByRole('heading', { name: 'Team', level: 1 }).waitFor() },
    { name: 'not-found', path: '/no-such-page', ready: (p) => p.getByRole('heading', { name: 'Page not found' }).waitFor() },
  ];

  /** The pages a signed-out visitor sees, each in a context of its own (no session cookie). */
  const signedOutPages = (): { name: string; path: string; ready: (p: Page) => Promise<unknown> }[] => [
    { name: 'sign-in', path: '/sign-in', ready: (p) => p.getByRole('button', { name: 'Sign in' }).waitFor() },
    { name: 'sign-up', path: '/sign-up', ready: (p) => p.getByRole('heading', { level: 1 }).waitFor() },
    { name: 'confirm-sign-up', path: '/confirm-sign-up?token=not-a-real-token', ready: (p) => p.getByRole('heading', { level: 1 }).waitFor() },
    { name: 'accept-invitation', path: '/invitations/accept?token=not-a-real-token', ready: (p) => p.getByRole('heading', { level: 1 }).waitFor() },
  ];

  /** Route patterns of client/src/app/router.tsx, e.g. "organizations/:id"; the test fails when one has no page above. */
  function routerPatterns(): string[] {
    const router = fs.readFileSync(path.resolve(__dirname, '../../../client/src/app/router.tsx'), 'utf8');
    return [...router.matchAll(/path: '([^']+)'/g), ...router.matchAll(/(index): true/g)].map((m) => (m[1] === 'index' ? '/' : `/${m[1].replace(/^\//, '')}`));
  }
  const matches = (pattern: string, visited: string) => pattern === '/*'
    || new RegExp(`^${pattern.replace(/:[a-z]+/gi, '[^/]+')}$`).test(visited.split('?')[0]);

  async function visit(target: ReturnType<typeof pages>[number]): Promise<void> {
    await page.goto(`${portico.url}/dashboard${target.path}`);
    await target.ready(page);
    await page.locator('.loading, .skeleton').first().waitFor({ state: 'detached' }).catch(() => undefined);
  }

  for (const theme of THEMES) {
    it(`finds no accessibility violation on any page in the ${theme} theme`, async () => {
      await page.emulateMedia({ colorScheme: theme });
      const found: string[] = [];
      for (const target of pages()) {
        await visit(target);
        expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
        found.push(...describeViolations(target.name, await axeViolations(page)));
        await screenshot(page, `a11y-${target.name}-${theme}-1440`);
      }
      expect(found).toEqual([]);
    }, 300_000);
  }

  it('visits every route of the dashboard’s router in the checks below', () => {
    const visited = [...pages(), ...signedOutPages()].map((p) => p.path);
    const unvisited = routerPatterns().filter((pattern) => !visited.some((v) => matches(pattern, v)));
    expect(unvisited).toEqual([]);
    expect(routerPatterns().length).toBeGreaterThan(25);
  });

  it.each([390, 1024])('lets no page scroll sideways at %i px, in either theme, signed in or out', async (width) => {
    await page.setViewportSize({ width, height: 844 });
    const signedOut = await browser.newPage({ viewport: { width, height: 844 } });
    const overflowing: string[] = [];
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme });
      await signedOut.emulateMedia({ colorScheme: theme });
      for (const [p, target] of [...pages().map((t) => [page, t] as const), ...signedOutPages().map((t) => [signedOut, t] as const)]) {
        if (p === page) await visit(target);
        else {
          await p.goto(`${portico.url}/dashboard${target.path}`);
          await target.ready(p);
        }
        const { scrollWidth, innerWidth, culprits } = await sidewaysScroll(p);
        if (scrollWidth > innerWidth) overflowing.push(`${target.name} (${theme}, ${width} px): ${scrollWidth} > ${innerWidth} — ${culprits.join(', ')}`);
        await screenshot(p, `a11y-${target.name}-${theme}-${width}`);
      }
    }
    await signedOut.close();
    expect(overflowing).toEqual([]);
    // Every page in two themes with a screenshot each: on a shared 2-core machine 390 px alone took 267 s.
  }, 600_000);

  it('reaches every page at 390 px through the navigation drawer', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${portico.url}/dashboard/`);
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Menu', exact: true }).click();
    await nav.getByRole('link', { name: 'Team' }).click();
    await page.getByRole('heading', { name: 'Team', level: 1 }).waitFor();
    expect(await nav.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Menu', exact: true }).click();
    await screenshot(page, 'a11y-navigation-drawer-390');
    await page.keyboard.press('Escape');
    expect(await nav.isVisible()).toBe(false);
  });
});

