import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeInBrowser, launchChromium, screenshot } from '../helpers/browser';
import { startPorticoProcess, type PorticoProcess } from '../helpers/process';

const WRAPPER = path.resolve(__dirname, '../../../scripts/portico.js');

/** The README's first screenshot (docs/screenshots/sessions.png) is a copy of this one: see "Screenshots" in the README. */
export const README_SCREENSHOT = 'readme-sessions';

// A fresh embedded database is created and migrated, then the demo workspace seeded: over a minute on a busy machine.
jest.setTimeout(300_000);

/** What the person who ran `npm start` reads on the console: the dashboard's address and the demo sign-in. */
function banner(output: string): { dashboard: string; email: string; password: string } {
  const running = /^ {2}Portico is running at (\S+)$/m.exec(output);
  const demo = /^ {2}Demo sign-in: (\S+) \/ (\S+)$/m.exec(output);
  if (!running || !demo) throw new Error(`no dashboard address or demo sign-in in the banner:\n${output}`);
  return { dashboard: running[1]!, email: demo[1]!, password: demo[2]! };
}

async function waitForBanner(portico: PorticoProcess, timeoutMs = 10_000): Promise<ReturnType<typeof banner>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return banner(portico.output());
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describeInBrowser('First run in Chromium: npm start → the printed demo sign-in → Test sign-in → the session in the Sessions tab', () => {
  // Whatever database the run's other tests use, this is a first start as a new user makes it: `npm start` (the
  // wrapper, already built) on no DATABASE_URL, so the embedded engine in an empty data folder, demo seed on by default.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-first-run-'));
  let portico: PorticoProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    portico = await startPorticoProcess({ PORTICO_DATA_DIR: dataDir, PORTICO_SKIP_BUILD: '1' }, 240_000, [process.execPath, WRAPPER, 'start']);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    if (portico) expect(await portico.stop()).toBe(0);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('signs in with the printed demo credentials, test-signs-in through the Test Organization, and finds the session', async () => {
    expect(portico.output()).toContain('✓ Demo workspace created');
    const printed = await waitForBanner(portico);
    expect(printed.dashboard).toBe(`${portico.url}/dashboard`);

    await page.goto(printed.dashboard);
    await page.waitForURL('**/dashboard/sign-in**');
    await page.getByLabel('Email').fill(printed.email);
    await page.getByLabel('Password').fill(printed.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Staging overview' }).waitFor();
    expect(await page.locator('.topbar-workspace').textContent()).toBe('Workspace: Demo workspace');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Organizations' }).click();
    await page.getByRole('link', { name: 'Test Organization', exact: true }).click();
    await page.getByRole('link', { name: 'Portico Test IdP' }).click();
    await page.getByRole('heading', { name: /Portico Test IdP/, level: 1 }).waitFor();
    const connectionUrl = page.url();
    const connectionId = /conn_[0-9A-Z]{26}/.exec(connectionUrl)![0];

    const [idpTab] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: /Test sign-in/ }).click()]);
    await idpTab.getByRole('heading', { name: 'Sign in to Test Organization' }).waitFor();
    // Pick a user other than the preselected first one.
    await idpTab.getByRole('radio', { name: /Grace Hopper/ }).check();
    await idpTab.getByRole('button', { name: 'Sign in', exact: true }).click();
    await idpTab.getByTestId('test-result-title').filter({ hasText: 'Test sign-in succeeded' }).waitFor();
    await idpTab.getByTestId('test-result-profile').filter({ hasText: '"email": "grace@example.com"' }).waitFor();
    const sessionId = /sso_session_[0-9A-Z]{26}/.exec(idpTab.url())?.[0];
    expect(sessionId).toBeDefined();
    await idpTab.close();

    // Back on the dashboard's connection page: its Sessions tab lists the new session, successful, marked as a test.
    await page.getByRole('navigation', { name: 'Connection' }).getByRole('link', { name: 'Sessions' }).click();
    await page.waitForURL(`**/connections/${connectionId}/sessions`);
    expect(page.url()).toBe(`${portico.url}/dashboard/connections/${connectionId}/sessions`);
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: `Session ${sessionId}` }) });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/Successful[\s\S]*grace@example\.com[\s\S]*Test sign-in/);
    // The seeded sessions are there too, each of the dashboard's errors among them: the README's first screenshot.
    for (const error of ['Profile Not Allowed Outside Organization', 'Invalid Attributes', 'Invalid X509 Certificate', 'Malformed SAML Response', 'Decryption Failed']) {
      await page.getByRole('row').filter({ hasText: error }).first().waitFor();
    }
    await page.evaluate(() => document.fonts.ready);
    // At 1440 px every column shows: the table does not scroll inside its card.
    expect(await page.locator('.table-scroll').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await screenshot(page, README_SCREENSHOT);
  });
});
