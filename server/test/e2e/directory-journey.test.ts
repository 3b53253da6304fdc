import type { Browser, Page } from 'playwright-core';
import { uniqueEmail } from '../helpers/factories';
import { describeInBrowser, launchChromium, screenshot } from '../helpers/browser';
import { startPorticoProcess, type PorticoProcess } from '../helpers/process';
import { TEST_SECRET_KEY } from '../helpers/app';
import { ENTERPRISE, entraUser } from '../helpers/scim';
import { signUpInBrowser } from '../helpers/sign-up-journey';

describeInBrowser('Directory Sync in Chromium: custom attribute, directory, SCIM push, mapping tab, user details', () => {
  let portico: PorticoProcess;
  let browser: Browser;
  let page: Page;
  let directoryId: string;
  let token: string;

  const scim = (method: string, path: string, body?: unknown) =>
    fetch(`${portico.url}/scim/v2/${directoryId}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' }, body: body ? JSON.stringify(body) : undefined }).then(async (r) => ({ status: r.status, body: await r.json().catch(() => null) }));

  beforeAll(async () => {
    portico = await startPorticoProcess({ DATABASE_URL: process.env.PORTICO_TEST_DATABASE_URL!, PORTICO_SEED_DEMO: 'false', PORTICO_SECRET_KEY: TEST_SECRET_KEY });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' })).newPage();
    await signUpInBrowser(page, portico, { name: 'Barbara Liskov', email: uniqueEmail('dsync'), password: 'a-long-and-happy-passphrase', workspaceName: 'Substitution Inc' });
  });
  afterAll(async () => {
    await browser?.close();
    await portico?.stop();
  });

  it('defines a custom attribute on the Configuration page', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Configuration' }).click();
    await page.locator('.tabs').getByRole('link', { name: 'Custom attributes' }).click();
    await page.getByText('No custom attributes yet').waitFor();
    await page.getByLabel('Key').fill('Manager!');
    await page.getByLabel('Label').fill('Manager');
    await page.getByRole('button', { name: 'Add attribute' }).click();
    await page.getByText('Use lower-case letters').waitFor();
    await page.getByLabel('Key').fill('manager');
    await page.getByRole('button', { name: 'Add attribute' }).click();
    await page.getByRole('cell', { name: 'manager', exact: true }).waitFor();
    await screenshot(page, '40-custom-attributes');
  });

  it('adds an Entra ID directory to an organization and shows its token once', async () => {
    await page.getByRole('link', { name: 'Organizations' }).click();
    await page.getByRole('button', { name: 'Create organization' }).first().click();
    await page.getByRole('dialog').getByLabel('Name').fill('Acme');
    await page.getByRole('dialog').getByLabel('User email domains').fill('acme.com');
    await page.getByRole('dialog').getByRole('button', { name: 'Create organization' }).click();
    await page.getByRole('heading', { name: 'Acme', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Add directory' }).click();
    await page.getByRole('dialog').getByLabel('Directory provider').selectOption('azure scim v2.0');
    await page.getByRole('dialog').getByRole('button', { name: 'Create directory' }).click();
    token = (await page.getByTestId('scim-token').textContent())!;
    expect(token).toMatch(/^scim_[A-Za-z0-9]{48}$/);
    await screenshot(page, '41-directory-created');
    await page.getByRole('link', { name: 'Open directory' }).click();
    directoryId = /directories\/(directory_[0-9A-Z]{26})/.exec(page.url())![1]!;
    await page.getByText('Not connected yet').waitFor();
  });

  it('lists users the provider pushes, and maps manager from the enterprise extension', async () => {
    for (const [email, manager] of [['grace@acme.com', 'mgr-1'], ['ada@acme.com', 'mgr-2']] as const) {
      expect((await scim('POST', '/Users', entraUser(email, manager))).status).toBe(201);
    }
    const grace = (await scim('GET', '/Users?filter=userName%20eq%20%22grace%40acme.com%22')).body.Resources[0];
    await scim('POST', '/Groups', { displayName: 'Admirals', members: [{ value: grace.id }] });
    await page.reload();
    await page.getByText('Linked', { exact: true }).waitFor();
    await page.locator('.tabs').getByRole('link', { name: 'Users' }).click();
    await page.getByRole('link', { name: 'Grace Hopper' }).first().waitFor();
    await page.getByLabel('Search users').fill('ada');
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
    await screenshot(page, '42-directory-users');
    await page.locator('.tabs').getByRole('link', { name: 'Attribute mapping' }).click();
    const select = page.getByLabel(/Manager/);
    await select.selectOption(`${ENTERPRISE}.manager.value`);
    await page.getByText(`manager now comes from ${ENTERPRISE}.manager.value`).waitFor();
    await screenshot(page, '43-directory-mapping');
  });

  it('shows a user’s standard fields, custom attributes, groups and raw data', async () => {
    await page.locator('.tabs').getByRole('link', { name: 'Users' }).click();
    await page.getByLabel('Search users').fill('grace@');
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
    await page.getByRole('link', { name: 'Grace Hopper' }).click();
    await page.getByRole('heading', { name: 'Custom attributes' }).waitFor();
    await page.getByText('mgr-1').first().waitFor();
    await page.getByText('Admirals').waitFor();
    expect(await page.getByLabel('Raw SCIM JSON').textContent()).toContain('"employeeNumber": "1906"');
    await screenshot(page, '44-directory-user');
  });

  it('shows the SCIM request log with a failed request’s body', async () => {
    await scim('POST', '/Users', { displayName: 'no userName' });
    await page.goto(`${portico.url}/dashboard/directories/${directoryId}/log`);
    await page.getByRole('button', { name: /400 details/ }).click();
    await page.getByText('userName is required').first().waitFor();
    await screenshot(page, '45-scim-log');
  });

  it('shows how many failed authentications a 401 row stands for', async () => {
    // Past 20 a minute, failed authentications are counted on the latest 401 row instead of logged.
    for (let i = 0; i < 24; i += 1) {
      await fetch(`${portico.url}/scim/v2/${directoryId}/Users`, { headers: { authorization: 'Bearer scim_stale_token' } });
    }
    await page.reload();
    await page.getByText(/^\+[1-9]\d* more in the same minute$/).first().waitFor();
    await screenshot(page, '46-scim-log-suppressed');
    for (const [width, scheme] of [[390, 'dark'], [1024, 'light'], [1440, 'dark']] as const) {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme: scheme });
      await screenshot(page, `46-scim-log-suppressed-${width}-${scheme}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
