import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { keys } from '../saml/forge';
import { startTestApp, type TestApp } from '../helpers/app';
import { axeViolations, describeViolations, sidewaysScroll } from '../helpers/axe';
import { describeInBrowser, launchChromium, screenshot, SCREENSHOT_DIR } from '../helpers/browser';
import { FakeDns } from '../helpers/dns';
import { buildPortalSetup, PortalBrowser } from '../helpers/portal';
import { TestIdp } from '../helpers/sso';
import { startOidcStandIn } from '../helpers/oauth-providers';

const APP = 'https://app.example.com';
const WIDTHS = [390, 1024, 1440] as const;
const THEMES = ['light', 'dark'] as const;

/**
 * The Admin Portal's pages as an IT admin's browser shows them, against an in-process Portico whose DNS answers from
 * fixed records (FakeDns): the domain verification journey with the keyboard only, then every portal page at 390,
 * 1024 and 1440 px in light and dark (artifacts/screenshots/portal-page-*), each without sideways scroll or axe findings.
 */
describeInBrowser('the Admin Portal’s pages in Chromium', () => {
  const dns = new FakeDns();
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startTestApp({}, { dns });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function setup(orgName: string) {
    const s = await buildPortalSetup(app, orgName);
    await app.db.query(`INSERT INTO admin_portal_settings (environment_id, display_name, brand_color, updated_at) VALUES ($1, 'Northwind HR', '#0f766e', now())`, [s.environment.id]);
    await app.db.query(`UPDATE workspaces SET support_email = 'help@northwind.example' WHERE id = $1`, [s.team.workspace.id]);
    return s;
  }

  /** A portal session opened over HTTP (PortalBrowser), handed to a browser context as its cookie. */
  async function session(s: Awaited<ReturnType<typeof setup>>, intent: string) {
    const admin = new PortalBrowser(app);
    await admin.open((await s.workos.adminPortal.generateLink({ intent: intent as never, organization: s.org.id, returnUrl: `${APP}/settings`, successUrl: `${APP}/done` })).link);
    return admin;
  }

  async function newContext(admin: PortalBrowser | null): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1024, height: 800 }, bypassCSP: true });
    await context.route(`${APP}/**`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>App</title><h1>Back in the app</h1>' }));
    if (admin) {
      const [name, value] = admin.cookie!.split('=') as [string, string];
      await context.addCookies([{ name, value, domain: '127.0.0.1', path: '/portal', httpOnly: true, sameSite: 'Lax' }]);
    }
    return { context, page: await context.newPage() };
  }

  const focused = (page: Page) => page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const label = el.getAttribute('aria-label') ?? (el.tagName === 'INPUT' ? `input ${(el as HTMLInputElement).labels?.[0]?.textContent}` : el.textContent?.trim());
    return { label, visible: style.outlineStyle !== 'none' && style.outlineWidth !== '0px' };
  });

  async function tabTo(page: Page, label: string | RegExp, max = 12) {
    for (let i = 0; i < max; i += 1) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      if (f && (typeof label === 'string' ? f.label === label : label.test(f.label ?? ''))) {
        expect({ label: f.label, visible: f.visible }).toEqual({ label: f.label, visible: true });
        return;
      }
    }
    throw new Error(`Tab never reached ${label}`);
  }

  async function expectClean(page: Page, where: string, { axe = true } = {}) {
    const scroll = await sidewaysScroll(page);
    expect({ where, ...scroll }).toEqual({ where, scrollWidth: scroll.innerWidth, innerWidth: scroll.innerWidth, culprits: [] });
    if (axe) expect(describeViolations(where, await axeViolations(page))).toEqual([]);
  }

  it('verifies a domain with the keyboard only: add it, copy the record, check again through each failure, continue to the success URL', async () => {
    const s = await setup('Globex');
    // No domain yet (buildPortalSetup's acme.com would already count as verified).
    await app.db.query('DELETE FROM organization_domains WHERE organization_id = $1', [s.org.id]);
    const admin = await session(s, 'domain_verification');
    const { context, page } = await newContext(admin);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
    await page.goto(`${app.url}/portal/domain-verification`);
    await page.getByRole('heading', { name: 'Verify your domain', level: 1 }).waitFor();
    await page.getByText('Questions? Contact help@northwind.example').waitFor();

    // Tab order: skip link, Return to app, then the form, then the footer's contact.
    const order: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      expect(f?.visible).toBe(true);
      order.push(f!.label!);
    }
    expect(order).toEqual(['Skip to content', 'Return to app', 'input Domain', 'Add domain', 'help@northwind.example']);

    await page.getByRole('textbox', { name: 'Domain' }).focus();
    await page.keyboard.type('gmail.com');
    await page.keyboard.press('Enter');
    await page.getByText(/gmail.com is a public email provider/).waitFor();
    const name = `globex-${Date.now().toString(36)}.example`;
    await page.getByRole('textbox', { name: 'Domain' }).fill('');
    await page.keyboard.type(name);
    await page.keyboard.press('Enter');
    const card = page.locator('section', { has: page.getByRole('heading', { name: new RegExp(name.replace(/\./g, '\\.')) }) });
    await card.getByText(`_portico-challenge.${name}`).first().waitFor();
    const token = (await app.db.query('SELECT verification_token FROM organization_domains WHERE domain = $1', [name]))[0].verification_token as string;
    await card.getByText(token).waitFor();

    await page.getByRole('textbox', { name: 'Domain' }).focus();
    await page.keyboard.down('Shift');
    await tabTo(page, 'Check the record');
    await page.keyboard.up('Shift');
    await page.keyboard.down('Shift');
    await tabTo(page, `Copy record value for ${name}`);
    await page.keyboard.up('Shift');
    await page.keyboard.press('Enter');
    await card.getByText(`record value for ${name} copied`).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

    await tabTo(page, 'Check the record');
    await page.keyboard.press('Enter');
    await card.getByRole('alert').getByText('The record was not found.').waitFor();
    await screenshot(page, 'portal-domain-not-found-1024-light');
    await expectClean(page, 'domain: record not found');

    dns.setTxt(`_portico-challenge.${name}`, 'stale-token');
    expect((await focused(page))?.label).toBe('Check again');
    await page.keyboard.press('Enter');
    await card.getByRole('alert').getByText('The record has the wrong value.').waitFor();
    await card.getByRole('alert').getByText('stale-token').waitFor();

    dns.fail(`_portico-challenge.${name}`, 'ETIMEOUT');
    await page.keyboard.press('Enter');
    await card.getByRole('alert').getByText('The look-up failed.').waitFor();

    dns.setTxt(`_portico-challenge.${name}`, token);
    await page.keyboard.press('Enter');
    await page.getByText('Domain verification is complete.').waitFor();
    expect((await focused(page))?.label).toMatch(/^Domain verification is complete\./);
    await screenshot(page, 'portal-domain-verified-1024-light');
    await expectClean(page, 'domain: verified');
    await tabTo(page, 'Continue');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${APP}/done`);

    const actions = (await app.db.query('SELECT action, detail FROM portal_actions WHERE organization_id = $1 ORDER BY id', [s.org.id])) as { action: string; detail: { reason?: string } }[];
    expect(actions.map((a) => a.detail.reason ? `${a.action}:${a.detail.reason}` : a.action)).toEqual([
      'link_generated', 'link_opened', 'domain_added',
      'domain_verification_failed:record_not_found', 'domain_verification_failed:token_mismatch', 'domain_verification_failed:lookup_failed',
      'domain_verified', 'setup_completed',
    ]);
    await context.close();
  }, 180_000);

  it('shows every portal page at 390, 1024 and 1440 px, light and dark, branded, with support, without sideways scroll or axe findings', async () => {
    const s = await setup('Initech');
    const idp = new TestIdp();
    const sso = await session(s, 'sso');
    const fresh = await session(await setup('Hooli'), 'sso');
    await sso.api('POST', '/sso/idp', { idp: 'okta' });
    await sso.api('PUT', '/sso/idp-details', { metadataXml: idp.metadataXml() });
    const failed = (await sso.testSignIn(idp, (r) => idp.response(r, { inResponseTo: r.inResponseTo, signWith: keys.otherIdp }))).result!.body.id as string;
    const succeeded = (await sso.testSignIn(idp)).result!.body.id as string;
    const renewal = await session(s, 'certificate_renewal');
    const domains = await session(s, 'domain_verification');
    await domains.api('POST', '/domains', { domain: `initech-${Date.now().toString(36)}.example` });
    const expired = await s.workos.adminPortal.generateLink({ intent: 'sso' as never, organization: s.org.id });
    await app.db.query(`UPDATE portal_links SET expires_at = now() - interval '1 minute' WHERE kind = 'api' AND opened_at IS NULL AND organization_id = $1`, [s.org.id]);

    const pages: { name: string; who: PortalBrowser | null; url: string; ready: (p: Page) => Promise<unknown> }[] = [
      { name: 'sso-choose-idp', who: fresh, url: '/portal/sso', ready: (p) => p.getByRole('group', { name: 'Identity provider' }).waitFor() },
      { name: 'sso-steps', who: sso, url: '/portal/sso', ready: (p) => p.getByRole('heading', { name: 'Create the application in Okta' }).waitFor() },
      { name: 'test-failed', who: sso, url: `/portal/sso/test/${failed}`, ready: (p) => p.getByText('How to fix it').waitFor() },
      { name: 'test-success', who: sso, url: `/portal/sso/test/${succeeded}`, ready: (p) => p.getByText('Attributes your identity provider sent').waitFor() },
      { name: 'certificate-renewal', who: renewal, url: '/portal/certificate-renewal', ready: (p) => p.getByRole('heading', { name: 'Add the new certificate' }).waitFor() },
      {
        name: 'domain-verification', who: domains, url: '/portal/domain-verification',
        ready: async (p) => { await p.getByRole('button', { name: /^Check/ }).click(); await p.getByRole('alert').waitFor(); },
      },
      { name: 'link-expired', who: null, url: new URL(expired.link).pathname + new URL(expired.link).search, ready: (p) => p.getByText('This setup link has expired.').waitFor() },
      { name: 'session-ended', who: null, url: '/portal/sso', ready: (p) => p.getByRole('heading', { name: 'Ask for a new setup link' }).waitFor() },
    ];

    for (const shown of pages) {
      const { context, page } = await newContext(shown.who);
      for (const theme of THEMES) {
        await page.emulateMedia({ colorScheme: theme });
        for (const width of WIDTHS) {
          await page.setViewportSize({ width, height: 800 });
          await page.goto(`${app.url}${shown.url}`);
          await shown.ready(page);
          const where = `${shown.name} ${width} ${theme}`;
          if (shown.who) {
            // Branding and support on every page of the portal, the ended-session page included.
            await page.getByText('Northwind HR').first().waitFor().catch(() => { throw new Error(`${where}: no branding`); });
          }
          if (shown.who) await page.getByText('Questions? Contact help@northwind.example').waitFor();
          await screenshot(page, `portal-page-${shown.name}-${width}-${theme}`);
          // axe once per page and theme (its findings don't depend on the width; overflow does, so that is checked at each).
          await expectClean(page, where, { axe: width === 390 });
        }
      }
      await context.close();
    }
    // The README's portal screenshot (docs/screenshots/portal-domain-verification.png) is a copy of this one.
    fs.copyFileSync(path.join(SCREENSHOT_DIR, 'portal-page-domain-verification-1024-light.png'), path.join(SCREENSHOT_DIR, 'readme-portal-domain-verification.png'));
  }, 900_000);

  it('shows the OpenID Connect steps and form (saved: secret set; unsaved: errors on their fields) at 390, 1024 and 1440 px, light and dark', async () => {
    const client = { clientId: 'portal-oidc-e2e', clientSecret: 'portal-oidc-e2e-secret' };
    const idp = await startOidcStandIn({ ...client, redirectUri: 'http://portico.test/sso/oauth/callback', user: { sub: 'u1', claims: { email: 'ada@acme.com' } } });
    try {
      const saved = await session(await setup('Umbrella'), 'sso');
      await saved.api('POST', '/sso/idp', { idp: 'oidc' });
      expect((await saved.api('PUT', '/sso/idp-details', { discoveryUrl: idp.issuer, ...client })).status).toBe(200);
      const { context, page } = await newContext(saved);
      for (const theme of THEMES) {
        await page.emulateMedia({ colorScheme: theme });
        for (const width of WIDTHS) {
          await page.setViewportSize({ width, height: 800 });
          await page.goto(`${app.url}/portal/sso`);
          await page.getByRole('heading', { name: 'Create the application in your identity provider' }).waitFor();
          await page.getByRole('button', { name: 'Replace secret' }).waitFor();
          await page.getByRole('heading', { name: 'Create the application in your identity provider' }).scrollIntoViewIfNeeded();
          await screenshot(page, `portal-page-sso-oidc-${width}-${theme}`);
          await expectClean(page, `sso-oidc ${width} ${theme}`, { axe: width === 390 });
        }
      }
      await context.close();

      const draft = await session(await setup('Soylent'), 'sso');
      await draft.api('POST', '/sso/idp', { idp: 'oidc' });
      const second = await newContext(draft);
      for (const theme of THEMES) {
        await second.page.emulateMedia({ colorScheme: theme });
        await second.page.setViewportSize({ width: 390, height: 800 });
        await second.page.goto(`${app.url}/portal/sso`);
        await second.page.getByRole('textbox', { name: 'Discovery URL or issuer' }).fill('ftp://idp.example.com');
        await second.page.getByRole('button', { name: 'Save and check' }).click();
        await second.page.getByText('Enter the client ID your identity provider gave').waitFor();
        await second.page.getByRole('textbox', { name: 'Discovery URL or issuer' }).scrollIntoViewIfNeeded();
        await screenshot(second.page, `portal-page-sso-oidc-errors-390-${theme}`);
        await expectClean(second.page, `sso-oidc errors 390 ${theme}`);
      }
      await second.context.close();
    } finally {
      await idp.close();
    }
  }, 300_000);
});
