import type { Browser, BrowserContext, Page } from 'playwright-core';
import { uniqueEmail } from '../helpers/factories';
import { describeInBrowser, launchChromium, screenshot } from '../helpers/browser';
import { startPorticoProcess, type PorticoProcess } from '../helpers/process';
import { TEST_SECRET_KEY } from '../helpers/app';
import { signUpInBrowser } from '../helpers/sign-up-journey';

const ERRORS = [
  ['User outside the organization', 'Profile Not Allowed Outside Organization'],
  ['Missing attributes', 'Invalid Attributes'],
  ['Wrong certificate', 'Invalid X509 Certificate'],
  ['Expired response', 'Malformed SAML Response'],
  ['Malformed response', 'Malformed SAML Response'],
  ['Encrypted to the wrong key', 'Decryption Failed'],
] as const;

jest.setTimeout(180_000);

const noPageScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describeInBrowser('Test IdP in Chromium: a fresh workspace signs in through its Test Organization in a minute', () => {
  let portico: PorticoProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let connectionUrl: string;

  beforeAll(async () => {
    portico = await startPorticoProcess({ DATABASE_URL: process.env.PORTICO_TEST_DATABASE_URL!, PORTICO_SEED_DEMO: 'false', PORTICO_SECRET_KEY: TEST_SECRET_KEY });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
    page = await context.newPage();
    await signUpInBrowser(page, portico, { name: 'Ada Lovelace', email: uniqueEmail('testidp'), password: 'a-long-and-happy-passphrase', workspaceName: 'Engines Ltd' });
  });
  afterAll(async () => {
    await browser?.close();
    await portico?.stop();
  });

  it('Test sign-in from the Test Organization’s connection succeeds, shows the profile, and the session is in the Sessions tab', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Organizations' }).click();
    await page.getByRole('link', { name: 'Test Organization' }).click();
    await page.getByRole('link', { name: 'Portico Test IdP' }).click();
    await page.getByRole('heading', { name: /Portico Test IdP/, level: 1 }).waitFor();
    connectionUrl = page.url();
    const [idpTab] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: /Test sign-in/ }).click()]);
    await idpTab.getByRole('heading', { name: 'Sign in to Test Organization' }).waitFor();
    await screenshot(idpTab, '60-test-idp-login-1440-light');
    // Keyboard only: the first user is chosen; Tab reaches the Sign in button.
    await idpTab.getByRole('button', { name: 'Sign in', exact: true }).focus();
    await idpTab.keyboard.press('Enter');
    await idpTab.getByTestId('test-result-title').filter({ hasText: 'Test sign-in succeeded' }).waitFor();
    await idpTab.getByTestId('test-result-profile').filter({ hasText: '"email": "ada@example.com"' }).waitFor();
    expect(idpTab.url()).toContain('/dashboard/test-sign-in/sso_session_');
    await screenshot(idpTab, '61-test-sign-in-result-1440-light');
    await idpTab.getByRole('link', { name: 'Sessions tab' }).click();
    await idpTab.getByRole('row').filter({ hasText: 'ada@example.com' }).filter({ hasText: 'Successful' }).waitFor();
    await idpTab.close();
  });

  it('each error scenario of the test IdP produces its error on the result page and in the Sessions tab', async () => {
    for (const [button, error] of ERRORS) {
      const [tab] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: /Test sign-in/ }).click()]);
      await tab.getByRole('button', { name: new RegExp(button) }).click();
      await tab.getByTestId('test-result-title').filter({ hasText: 'Test sign-in failed' }).waitFor();
      await tab.getByText(error).first().waitFor();
      if (button === 'Missing attributes') await screenshot(tab, '62-test-sign-in-failed-1440-light');
      await tab.close();
    }
    await page.goto(`${connectionUrl}/sessions`);
    for (const [, error] of ERRORS) await page.getByRole('row').filter({ hasText: error }).first().waitFor();
    await screenshot(page, '63-sessions-tab-test-idp-errors');
  });

  it('the login page and the result page fit 390 px and read in the dark theme', async () => {
    for (const [width, scheme] of [[390, 'light'], [390, 'dark'], [1440, 'dark']] as const) {
      const ctx = await browser.newContext({ viewport: { width, height: 844 }, colorScheme: scheme, storageState: await context.storageState() });
      const p = await ctx.newPage();
      await p.goto(`${connectionUrl.replace(/\/connections\/.*/, '')}/test-sign-in/start?connection=${/conn_[0-9A-Z]{26}/.exec(connectionUrl)![0]}`);
      await p.getByRole('heading', { name: 'Sign in to Test Organization' }).waitFor();
      expect(await noPageScroll(p)).toBe(true);
      await screenshot(p, `64-test-idp-login-${width}-${scheme}`);
      await p.getByRole('button', { name: 'Sign in', exact: true }).click();
      await p.getByTestId('test-result-title').waitFor();
      await p.getByTestId('test-result-profile').waitFor();
      expect(await noPageScroll(p)).toBe(true);
      await screenshot(p, `65-test-sign-in-result-${width}-${scheme}`);
      await ctx.close();
    }
  });

  it('turned off in Configuration, the test IdP refuses with a clear page', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Configuration' }).click();
    const card = page.getByRole('region', { name: 'Test identity provider' });
    await card.getByRole('button', { name: 'Turn off' }).click();
    await card.getByTestId('test-idp-status').filter({ hasText: 'Off.' }).waitFor();
    await screenshot(page, '66-configuration-test-idp-off');
    await page.goto(connectionUrl);
    const [tab] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: /Test sign-in/ }).click()]);
    await tab.getByRole('heading', { name: 'Test identity provider turned off' }).waitFor();
    await tab.close();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Configuration' }).click();
    await page.getByRole('region', { name: 'Test identity provider' }).getByRole('button', { name: 'Turn on' }).click();
    await page.getByTestId('test-idp-status').filter({ hasText: 'On.' }).waitFor();
  });
});
