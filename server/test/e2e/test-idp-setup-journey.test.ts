import { Client } from 'pg';
import type { Browser, Page } from 'playwright-core';
import { uniqueEmail } from '../helpers/factories';
import { axeViolations, describeViolations } from '../helpers/axe';
import { describeInBrowser, launchChromium, screenshot } from '../helpers/browser';
import { startPorticoProcess, type PorticoProcess } from '../helpers/process';
import { TEST_SECRET_KEY } from '../helpers/app';
import { signUpInBrowser } from '../helpers/sign-up-journey';

jest.setTimeout(180_000);

describeInBrowser('Test IdP set-up in Chromium: a deleted Test Organization is made again from Configuration', () => {
  let portico: PorticoProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    portico = await startPorticoProcess({ DATABASE_URL: process.env.PORTICO_TEST_DATABASE_URL!, PORTICO_SEED_DEMO: 'false', PORTICO_SECRET_KEY: TEST_SECRET_KEY });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light', bypassCSP: true })).newPage();
    await signUpInBrowser(page, portico, { name: 'Grace Hopper', email: uniqueEmail('setup'), password: 'a-long-and-happy-passphrase', workspaceName: 'Setup Ltd' });
  });
  afterAll(async () => {
    await browser?.close();
    await portico?.stop();
  });

  it('says Not set up, reads well at every width and theme, and Set up makes the Test Organization again', async () => {
    const db = new Client({ connectionString: process.env.PORTICO_TEST_DATABASE_URL });
    await db.connect();
    try {
      // Sign-up made it: delete the Test Organization, as a team member might.
      const [row] = (await db.query(`SELECT t.organization_id FROM test_identity_providers t JOIN environments e ON e.id = t.environment_id JOIN workspaces w ON w.id = e.workspace_id WHERE w.name = 'Setup Ltd' ORDER BY w.created_at DESC LIMIT 1`)).rows;
      expect(row?.organization_id).toBeTruthy();
      await db.query('DELETE FROM organizations WHERE id = $1', [row.organization_id]);
    } finally {
      await db.end();
    }
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Configuration' }).click();
    const card = page.getByRole('region', { name: 'Test identity provider' });
    await card.getByTestId('test-idp-status').filter({ hasText: 'Not set up.' }).waitFor();
    expect(describeViolations('Configuration, test IdP not set up', await axeViolations(page))).toEqual([]);
    for (const [width, scheme] of [[390, 'light'], [390, 'dark'], [1024, 'light'], [1024, 'dark'], [1440, 'light'], [1440, 'dark']] as const) {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme: scheme });
      await card.scrollIntoViewIfNeeded();
      await screenshot(page, `67-configuration-test-idp-not-set-up-${width}-${scheme}`);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    await card.getByRole('button', { name: 'Set up the Test Organization' }).click();
    await card.getByTestId('test-idp-status').filter({ hasText: 'On.' }).waitFor();
    await card.getByRole('link', { name: 'Test Organization’s connection' }).waitFor();
  });
});
