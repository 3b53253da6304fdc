import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { buildMember, signedInClient, uniqueEmail } from '../helpers/factories';
import { describeInBrowser, launchChromium, screenshot } from '../helpers/browser';
import { startPorticoProcess, type PorticoProcess } from '../helpers/process';
import { TEST_SECRET_KEY } from '../helpers/app';
import { signUpInBrowser } from '../helpers/sign-up-journey';

describeInBrowser('Compliance documents in Chromium: Admins download, Support is told why not', () => {
  let portico: PorticoProcess;
  let browser: Browser;
  let db: DataSource;
  let admin: Page;
  let workspaceId: string;

  beforeAll(async () => {
    portico = await startPorticoProcess({ DATABASE_URL: process.env.PORTICO_TEST_DATABASE_URL!, PORTICO_SEED_DEMO: 'false', PORTICO_SECRET_KEY: TEST_SECRET_KEY });
    db = await createDataSource({ url: process.env.PORTICO_TEST_DATABASE_URL! }, 1).initialize();
    browser = await launchChromium();
    admin = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true })).newPage();
    await signUpInBrowser(admin, portico, { name: 'Frances Allen', email: uniqueEmail('compliance'), password: 'a-long-and-happy-passphrase', workspaceName: 'Optimizers' });
    workspaceId = (await (await admin.request.post(`${portico.url}/graphql`, { data: { query: '{ viewer { workspace { id } } }' } })).json()).data.viewer.workspace.id;
  });
  afterAll(async () => {
    await browser?.close();
    await db?.destroy();
    await portico?.stop();
  });

  it('lets an Admin download a document, which arrives as a PDF', async () => {
    await admin.getByRole('link', { name: 'Compliance' }).click();
    await admin.getByRole('heading', { name: 'Compliance documents' }).waitFor();
    await screenshot(admin, '60-compliance-admin');
    const [download] = await Promise.all([admin.waitForEvent('download'), admin.getByRole('link', { name: 'Download' }).first().click()]);
    expect(download.suggestedFilename()).toBe('portico-security-overview.pdf');
    const file = await download.path();
    expect(fs.readFileSync(file!).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('tells a Support member why they can’t, and the server refuses them', async () => {
    const support = await buildMember(db, workspaceId, 'SUPPORT');
    const client = await signedInClient(db, portico.url, support.user, workspaceId);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addCookies([{ name: 'portico_session', value: client.cookie!.split('=')[1]!, url: portico.url }]);
    const page = await context.newPage();
    await page.goto(`${portico.url}/dashboard/workspace/compliance`);
    await page.getByText('Only workspace Admins can download compliance documents').waitFor();
    expect(await page.getByRole('link', { name: 'Download' }).count()).toBe(0);
    await page.getByText('Admins only').first().waitFor();
    await screenshot(page, '61-compliance-support');
    const direct = await page.request.get(`${portico.url}/compliance/documents/security-overview`);
    expect(direct.status()).toBe(403);
    expect(await direct.json()).toMatchObject({ reason: 'role_required' });
    await context.close();
  });
});
