import type { Browser, Page } from 'playwright-core';
import { uniqueEmail } from '../helpers/factories';
import { describeInBrowser, launchChromium, screenshot } from '../helpers/browser';
import { startPorticoProcess, type PorticoProcess } from '../helpers/process';
import { TEST_SECRET_KEY } from '../helpers/app';
import { signUpInBrowser } from '../helpers/sign-up-journey';

describeInBrowser('Billing unlocks Production, in Chromium', () => {
  let portico: PorticoProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    portico = await startPorticoProcess({ DATABASE_URL: process.env.PORTICO_TEST_DATABASE_URL!, PORTICO_SEED_DEMO: 'false', PORTICO_SECRET_KEY: TEST_SECRET_KEY });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' })).newPage();
    await signUpInBrowser(page, portico, { name: 'Radia Perlman', email: uniqueEmail('billing'), password: 'a-long-and-happy-passphrase', workspaceName: 'Spanning Tree Co' });
  });
  afterAll(async () => {
    await browser?.close();
    await portico?.stop();
  });

  it('shows Production locked, with the reason, to a new workspace', async () => {
    await page.getByRole('button', { name: /Environment: Staging/ }).click();
    const production = page.getByRole('menuitemradio', { name: /Production/ });
    await production.getByText('Locked').waitFor();
    await screenshot(page, '50-environment-switcher-locked');
    await production.click();
    await page.getByRole('heading', { name: 'Production is locked' }).waitFor();
    await screenshot(page, '51-production-locked');
  });

  it('lets an Admin add billing, refusing a mistyped card, and then unlocks Production', async () => {
    await page.getByRole('link', { name: 'Set up billing' }).click();
    await page.getByLabel('Company name').fill('Spanning Tree Co');
    await page.getByLabel('Address', { exact: true }).fill('1 Bridge Road');
    await page.getByLabel('City').fill('Boston');
    await page.getByLabel('Postal code').fill('02110');
    await page.getByLabel('Card number').fill('4242 4242 4242 4241');
    await page.getByLabel('Expiry (MM/YYYY)').fill('12/2031');
    await page.getByLabel('Security code').fill('123');
    await page.getByRole('button', { name: 'Save and unlock Production' }).click();
    await page.getByText('This card number has a typo').waitFor();
    await screenshot(page, '52-billing-card-error');
    await page.getByLabel('Card number').fill('4242 4242 4242 4242');
    await page.getByRole('button', { name: 'Save and unlock Production' }).click();
    await page.getByText('Billing saved. Production is unlocked.').waitFor();
    await page.getByText('Visa ending in 4242, expires 12/2031').waitFor();
    await screenshot(page, '53-billing-saved');
  });

  it('creates a Production API key once unlocked', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('heading', { name: 'Production overview' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Configuration' }).click();
    await page.getByRole('button', { name: 'Create API key' }).click();
    await page.getByRole('dialog').getByLabel('Name').fill('Live server');
    await page.getByRole('button', { name: 'Create key' }).click();
    expect(await page.getByTestId('api-key-secret').textContent()).toMatch(/^sk_live_[A-Za-z0-9]{40}$/);
    await screenshot(page, '54-production-api-key');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('cell', { name: /^Live server/ }).waitFor();
    expect(await page.getByRole('button', { name: 'Show Live server' }).count()).toBe(0);
  });

  it('configures an OAuth provider and the Admin Portal, explaining rejected values', async () => {
    await page.locator('.tabs').getByRole('link', { name: 'OAuth providers' }).click();
    const google = page.locator('form', { has: page.getByRole('heading', { name: /Google OAuth/ }) });
    await google.getByLabel('Client ID').fill('not-a-google-client-id');
    await google.getByRole('button', { name: 'Save' }).click();
    await google.getByText('ends in .apps.googleusercontent.com').waitFor();
    await google.getByLabel('Client ID').fill('1234-abc.apps.googleusercontent.com');
    await google.getByLabel('Client secret').fill('GOCSPX-a-real-looking-secret');
    await google.getByRole('button', { name: 'Save' }).click();
    await google.getByText('A secret is stored (encrypted; never shown).').waitFor();
    await google.getByRole('button', { name: 'Enable' }).click();
    await google.getByText('Enabled', { exact: true }).waitFor();
    await screenshot(page, '55-oauth-providers');
    await page.locator('.tabs').getByRole('link', { name: 'Admin Portal' }).click();
    await page.getByLabel('Admin Portal redirect link').fill('http://app.example.com/sso');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Enter an absolute https:// URL.').waitFor();
    await page.getByLabel('Admin Portal redirect link').fill('https://app.example.com/sso');
    await page.getByLabel('Display name').fill('Spanning Tree');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('region', { name: 'Notifications' }).getByText('Admin Portal settings saved.').waitFor();
    await screenshot(page, '56-admin-portal');
  });
});
