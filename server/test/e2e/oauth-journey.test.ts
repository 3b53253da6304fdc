import type { Server } from 'node:http';
import express from 'express';
import { WorkOS } from '@workos-inc/node';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { uniqueEmail } from '../helpers/factories';
import { describeInBrowser, launchChromium, screenshot } from '../helpers/browser';
import { freePort, startPorticoProcess, type PorticoProcess } from '../helpers/process';
import { TEST_SECRET_KEY } from '../helpers/app';
import { signUpInBrowser } from '../helpers/sign-up-journey';
import { startOidcStandIn, type OidcStandIn } from '../helpers/oauth-providers';
import { axeViolations, describeViolations, sidewaysScroll } from '../helpers/axe';

const GOOGLE = { clientId: '4242-journey.apps.googleusercontent.com', clientSecret: 'GOCSPX-journey-secret' };

/**
 * Sign in with Google, end to end in Chromium: the dashboard user turns Google on in the real form, an application
 * built on the official SDK sends a user through Portico to Google (oidc-provider on loopback, via
 * PORTICO_TEST_OAUTH_PROVIDER_URLS) and reads the profile, and the dashboard shows that session and a declined one.
 */
describeInBrowser('Sign in with Google in Chromium: enable it, sign in through an SDK app, see the sessions', () => {
  let portico: PorticoProcess;
  let google: OidcStandIn;
  let appServer: Server;
  let appUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let workos: WorkOS | null = null;
  let clientId = '';

  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await page.request.post(`${portico.url}/graphql`, { data: { query, variables }, headers: { 'content-type': 'application/json' } });
    const body = await res.json();
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };

  /** The application: /login sends the user to Portico with the SDK; /callback exchanges the code for the profile. */
  async function startApp(): Promise<void> {
    const app = express();
    // ?prompt=login: Google asks the user again, even with a session there (so a second user can decline).
    app.get('/login', (req, res) => {
      const prompt = (req.query as Record<string, string>).prompt;
      res.redirect(workos!.sso.getAuthorizationUrl({ provider: 'GoogleOAuth', redirectUri: `${appUrl}/callback`, state: 'journey-state', clientId, ...(prompt ? { providerQueryParams: { prompt } } : {}) }));
    });
    app.get('/callback', async (req, res) => {
      const q = req.query as Record<string, string>;
      if (q.error) {
        res.send(`<!doctype html><title>Refused</title><h1>Sign-in refused</h1><p id="error">${q.error.replace(/[<&]/g, '')}</p>`);
        return;
      }
      try {
        const { profile, oauthTokens } = await workos!.sso.getProfileAndToken({ code: q.code!, clientId });
        res.send(`<!doctype html><title>Welcome</title><h1>Signed in as ${profile.email}</h1><p id="type">${profile.connectionType}</p><p id="token">${oauthTokens?.accessToken ? 'with a Google access token' : 'no token'}</p><p id="state">${q.state}</p>`);
      } catch (err) {
        res.status(500).send(`<h1>Code exchange failed</h1><pre>${String(err).replace(/[<&]/g, '')}</pre>`);
      }
    });
    const port = await freePort();
    appUrl = `http://localhost:${port}`;
    appServer = await new Promise((resolve) => { const s = app.listen(port, () => resolve(s)); });
  }

  beforeAll(async () => {
    const port = await freePort();
    google = await startOidcStandIn({ ...GOOGLE, redirectUri: `http://127.0.0.1:${port}/sso/oauth/callback`, user: { sub: '110248495921238986420', claims: { email: 'ada@gmail.com', email_verified: true, given_name: 'Ada', family_name: 'Lovelace', name: 'Ada Lovelace' } } });
    await startApp();
    portico = await startPorticoProcess({
      DATABASE_URL: process.env.PORTICO_TEST_DATABASE_URL!, PORT: String(port), PORTICO_SEED_DEMO: 'false', PORTICO_SECRET_KEY: TEST_SECRET_KEY,
      PORTICO_TEST_OAUTH_PROVIDER_URLS: `GoogleOAuth=${google.base}`,
    });
    browser = await launchChromium();
    // axe is injected as a script; Portico's CSP would refuse it, so this context bypasses CSP.
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light', bypassCSP: true });
    page = await context.newPage();
    await signUpInBrowser(page, portico, { name: 'Grace Hopper', email: uniqueEmail('oauth'), password: 'a-long-and-happy-passphrase', workspaceName: 'Compilers Inc' });
    const { viewer } = await gql('{ viewer { workspace { environments { id kind clientId } } } }');
    const staging = viewer.workspace.environments.find((e: { kind: string }) => e.kind === 'STAGING');
    clientId = staging.clientId;
    const { createApiKey } = await gql('mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', { input: { environmentId: staging.id, name: 'journey app' } });
    await gql('mutation($input: AddRedirectUriInput!) { addRedirectUri(input: $input) { id } }', { input: { environmentId: staging.id, uri: `${appUrl}/callback` } });
    const porticoPort = Number(new URL(portico.url).port);
    workos = new WorkOS(createApiKey.secret, { apiHostname: '127.0.0.1', port: porticoPort, https: false, clientId, maxRetries: 0 });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await portico?.stop();
    await google?.close();
    await new Promise((resolve) => appServer?.close(resolve));
  });

  const googleCard = () => page.locator('form', { has: page.getByRole('heading', { name: /Google OAuth/ }) });
  const recentSignIns = () => page.getByRole('region', { name: 'Recent sign-ins with Google' });

  /** The page at 390, 1024 and 1440 px in light and dark: nothing scrolls sideways, axe finds nothing, a screenshot of each. */
  async function lookAt(name: string): Promise<void> {
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      for (const width of [390, 1024, 1440]) {
        await page.setViewportSize({ width, height: 900 });
        const { scrollWidth, innerWidth, culprits } = await sidewaysScroll(page);
        expect({ width, theme, overflow: scrollWidth > innerWidth ? culprits : [] }).toEqual({ width, theme, overflow: [] });
        await screenshot(page, `oauth-${name}-${theme}-${width}`);
      }
      expect(describeViolations(name, await axeViolations(page))).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1440, height: 900 });
  }

  it('enables Google on the Configuration page with the client ID and secret typed in its form', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Configuration' }).click();
    await page.getByRole('link', { name: 'OAuth providers' }).click();
    await googleCard().getByLabel('Client ID').fill(GOOGLE.clientId);
    await googleCard().getByLabel('Client secret').fill(GOOGLE.clientSecret);
    await googleCard().getByRole('button', { name: 'Enable' }).click();
    await page.getByText('Google OAuth enabled.').waitFor();
    await googleCard().getByText('Enabled', { exact: true }).waitFor();
    await recentSignIns().getByText('No sign-ins yet').waitFor();
    await screenshot(page, 'oauth-40-google-enabled');
  });

  it('signs a user in with Google from the SDK app: getAuthorizationUrl → Portico → Google → getProfileAndToken', async () => {
    await page.goto(`${appUrl}/login`);
    await page.getByRole('heading', { name: 'Signed in as ada@gmail.com' }).waitFor();
    expect(await page.locator('#type').textContent()).toBe('GoogleOAuth');
    expect(await page.locator('#token').textContent()).toBe('with a Google access token');
    expect(await page.locator('#state').textContent()).toBe('journey-state');
  });

  it('shows the successful sign-in in the dashboard: recent sign-ins, then Session Details with the raw exchange', async () => {
    await page.goto(`${portico.url}/dashboard/configuration/oauth`);
    await recentSignIns().getByRole('link', { name: /ada@gmail.com/ }).click();
    await page.getByRole('heading', { level: 1, name: /Successful sign-in with Google/ }).waitFor();
    await page.getByText('Successful: the app exchanged the code for the profile and tokens').waitFor();
    const idToken = page.getByRole('region', { name: 'ID token' });
    await idToken.getByRole('cell', { name: 'ada@gmail.com' }).waitFor();
    await idToken.getByRole('cell', { name: GOOGLE.clientId }).waitFor();
    expect(await page.getByRole('region', { name: 'Token response' }).getByText('[redacted]').count()).toBeGreaterThanOrEqual(2);
    await lookAt('session-success');
  });

  it('shows a declined consent as a failed session with its diagnosis, and the app got signin_consent_denied', async () => {
    google.deny = true;
    try {
      await page.goto(`${appUrl}/login?prompt=login`);
      await page.getByRole('heading', { name: 'Sign-in refused' }).waitFor();
      expect(await page.locator('#error').textContent()).toBe('signin_consent_denied');
    } finally {
      google.deny = false;
    }
    await page.goto(`${portico.url}/dashboard/configuration/oauth`);
    const failed = recentSignIns().locator('tr', { hasText: 'OAuth Provider Error' });
    await failed.getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: /Failed sign-in with Google/ }).waitFor();
    const diagnosis = page.getByRole('region', { name: 'The user declined to sign in at the provider' });
    await diagnosis.getByText('access_denied', { exact: true }).waitFor();
    await diagnosis.getByText('End-User aborted interaction').waitFor();
    await page.getByText('Failed: OAuth Provider Error').waitFor();
    await lookAt('session-failed');
  });
});
