import type { Browser, BrowserContext, Page } from 'playwright-core';
import { uniqueEmail } from '../helpers/factories';
import { describeInBrowser, launchChromium, screenshot } from '../helpers/browser';
import { startPorticoProcess, type PorticoProcess } from '../helpers/process';
import { confirmSignUpInBrowser, fillSignUpForm, waitForPrintedLink } from '../helpers/sign-up-journey';

const PASSWORD = 'a-long-and-happy-passphrase';

describeInBrowser('dashboard journey in Chromium: sign up, invite, accept, demote, theme', () => {
  let portico: PorticoProcess;
  let browser: Browser;
  let adminContext: BrowserContext;
  let memberContext: BrowserContext;

  beforeAll(async () => {
    portico = await startPorticoProcess({ DATABASE_URL: process.env.PORTICO_TEST_DATABASE_URL!, PORTICO_SEED_DEMO: 'false' });
    browser = await launchChromium();
    adminContext = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
    memberContext = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
    for (const context of [adminContext, memberContext]) context.on('page', watchCsp);
  });
  afterAll(async () => {
    await browser?.close();
    await portico?.stop();
  });

  // Every Content-Security-Policy violation any page of the journey reports (Chromium logs each to the console).
  const cspViolations: string[] = [];
  const watchCsp = (page: Page) => page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(`${page.url()}: ${message.text()}`);
  });

  const adminEmail = uniqueEmail('admin');
  const memberEmail = uniqueEmail('member');
  let admin: Page;
  let member: Page;
  let invitationLink: string;

  it('signs up a new workspace and lands on the Staging overview', async () => {
    admin = await adminContext.newPage();
    await admin.goto(`${portico.url}/dashboard`);
    await admin.waitForURL(/\/dashboard\/sign-in/);
    await screenshot(admin, '01-sign-in');
    await admin.getByRole('link', { name: 'Create an account' }).click();
    await admin.getByLabel('Your name').fill('Ada Lovelace');
    await admin.getByLabel('Work email').fill(adminEmail);
    await admin.getByLabel('Password').fill('short');
    await admin.getByLabel('Workspace name').fill('Analytical Engines');
    await admin.getByRole('button', { name: 'Create account' }).click();
    await admin.getByText('Use at least 12 characters.').waitFor();
    await screenshot(admin, '02-sign-up-error');
    await admin.getByLabel('Password').fill(PASSWORD);
    await admin.getByRole('button', { name: 'Create account' }).click();
    await admin.getByRole('heading', { name: 'Check your email' }).waitFor();
    await admin.getByText('the link is printed in Portico’s console log').waitFor();
    await screenshot(admin, '02b-check-your-email');
    // No SMTP_URL here: the link is on Portico's console, as the page says.
    const link = await waitForPrintedLink(portico, adminEmail);
    expect(link).toMatch(new RegExp(`^${portico.url}/dashboard/confirm-sign-up\\?token=`));
    // The link alone creates nothing: it asks for the password chosen at sign-up, so whoever owns the mailbox can't be
    // made to finish an account someone else pre-registered with their address.
    await confirmSignUpInBrowser(admin, link, 'not the password I chose');
    await admin.getByText("This isn't the password you chose when you signed up").waitFor();
    await screenshot(admin, '02d-confirm-sign-up-wrong-password');
    await admin.getByLabel('Password').fill(PASSWORD);
    await admin.getByRole('button', { name: 'Create my account' }).click();
    await admin.getByRole('heading', { name: 'Staging overview' }).waitFor();
    expect(await admin.getByTestId('client-id').textContent()).toMatch(/^client_/);
    await screenshot(admin, '03-overview');

    // The link works once: opened again, it says so and sends the person to sign in.
    const again = await (await browser.newContext({ colorScheme: 'dark', viewport: { width: 390, height: 844 } })).newPage();
    await again.goto(link);
    await again.getByText('Didn’t sign up? Ignore this — nothing is created without your password.').waitFor();
    await screenshot(again, '03a-confirm-sign-up-390-dark');
    await confirmSignUpInBrowser(again, link, PASSWORD);
    await again.getByRole('heading', { name: 'Account already created' }).waitFor();
    await screenshot(again, '03b-sign-up-link-used-dark');
    await again.context().close();
  });

  it('answers a sign-up with a taken address with the same "check your email", and makes no second account', async () => {
    const stranger = await (await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' })).newPage();
    await stranger.goto(`${portico.url}/dashboard/sign-up`);
    await fillSignUpForm(stranger, { name: 'Mallory', email: adminEmail, password: 'mallory-wants-in-badly', workspaceName: 'Takeover' });
    await stranger.getByRole('heading', { name: 'Check your email' }).waitFor();
    expect(await stranger.getByRole('status').textContent()).toContain(`We sent an email to ${adminEmail}.`);
    await screenshot(stranger, '02c-check-your-email-390-dark');
    await stranger.context().close();
    // The console (the operator's, not the stranger's) says what happened; no second link was made.
    expect(portico.output()).toContain(`Sign-up attempted for ${adminEmail}, which already has an account`);
    expect(portico.output().split(`Sign-up confirmation link for ${adminEmail} `)).toHaveLength(2);
  });

  it('creates a Staging API key that authenticates the API, and shows it again (Staging only)', async () => {
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Configuration' }).click();
    await admin.getByRole('button', { name: 'Create API key' }).click();
    await admin.getByRole('dialog').getByLabel('Name').fill('Journey server');
    await admin.getByRole('button', { name: 'Create key' }).click();
    const secret = (await admin.getByTestId('api-key-secret').textContent())!;
    expect(secret).toMatch(/^sk_test_[A-Za-z0-9]{40}$/);
    await screenshot(admin, '03b-api-key-created');
    await admin.getByRole('button', { name: 'Done' }).click();
    await admin.getByRole('cell', { name: `sk_test_••••••••${secret.slice(-4)}` }).waitFor();
    const res = await fetch(`${portico.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` }, body: JSON.stringify({ query: '{ environment { kind clientId } }' }) });
    const clientId = await admin.getByTestId('config-client-id').textContent();
    expect((await res.json()).data.environment).toEqual({ kind: 'STAGING', clientId });
    await admin.getByRole('button', { name: 'Show Journey server' }).click();
    expect(await admin.getByTestId('revealed-secret').textContent()).toBe(secret);
    await screenshot(admin, '03c-configuration-keys');
    await admin.getByRole('button', { name: 'Done' }).click();
  });

  it('invites a Developer, whose email lands in the dev outbox', async () => {
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click();
    await admin.getByRole('heading', { name: 'Team members' }).waitFor();
    await admin.getByRole('button', { name: 'Invite team member' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Invite team member' });
    await dialog.getByLabel('Email').fill(memberEmail);
    await dialog.getByRole('radio', { name: /Developer/ }).check();
    await screenshot(admin, '04-invite-dialog');
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await admin.getByText(`Invitation sent to ${memberEmail}.`).waitFor();
    await admin.getByTestId(`invitation-${memberEmail}`).waitFor();
    await screenshot(admin, '05-team-with-invitation');

    await admin.getByRole('link', { name: 'Dev outbox' }).click();
    // Keyboard: Tab to the message and open it with Enter.
    const message = admin.getByRole('button', { name: /invited you to Analytical Engines/ });
    for (let i = 0; i < 20 && !(await message.evaluate((el) => el === document.activeElement)); i += 1) await admin.keyboard.press('Tab');
    expect(await message.evaluate((el) => el.matches(':focus-visible') && getComputedStyle(el).outlineStyle !== 'none')).toBe(true);
    await screenshot(admin, '06a-outbox-keyboard-focus');
    await admin.keyboard.press('Enter');
    invitationLink = (await admin.getByRole('link', { name: /invitations\/accept/ }).getAttribute('href'))!;
    expect(invitationLink).toContain(`${portico.url}/dashboard/invitations/accept?token=`);
    await screenshot(admin, '06-outbox');
  });

  it('accepts the invitation in a second browser, as a new account', async () => {
    member = await memberContext.newPage();
    await member.goto(invitationLink);
    await member.getByRole('heading', { name: 'Join Analytical Engines' }).waitFor();
    await screenshot(member, '07-accept-invitation');
    await member.getByLabel('Your name').fill('Charles Babbage');
    await member.getByLabel('Password').fill(PASSWORD);
    await member.getByRole('button', { name: 'Create account and join' }).click();
    await member.getByText('Your role is Developer.').waitFor();
  });

  it('lets the Admin demote the new member to Support', async () => {
    await admin.getByRole('link', { name: 'Team' }).click();
    await admin.getByLabel('Role of Charles Babbage').selectOption('SUPPORT');
    await admin.getByText('Charles Babbage is now Support.').waitFor();
    await screenshot(admin, '08-team-after-demotion');
  });

  it('shows the Support member no team management, and the server refuses it too', async () => {
    await member.reload();
    await member.getByText('Your role is Support. Only Admins can invite, change or remove team members.').waitFor();
    expect(await member.getByRole('button', { name: 'Invite team member' }).count()).toBe(0);
    expect(await member.getByLabel('Role of Ada Lovelace').count()).toBe(0);
    for (const name of ['Dev outbox', 'Configuration', 'Billing']) expect(await member.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).count()).toBe(0);
    await screenshot(member, '09-team-as-support');
    const answer = await member.evaluate(async (email) => {
      const res = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `mutation { inviteMember(input: { email: "${email}", role: ADMIN }) { id } }` }),
      });
      return res.json();
    }, uniqueEmail('sneaky'));
    expect(answer.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'role_required' });
  });

  it('switches the theme from the user menu at once, and keeps it across a reload and a new sign-in', async () => {
    await member.getByRole('button', { name: 'Account menu for Charles Babbage' }).click();
    const saved = member.waitForResponse((r) => r.url().endsWith('/graphql') && r.request().postData()!.includes('UpdateTheme'));
    await member.getByRole('menuitemradio', { name: 'Dark' }).click();
    expect(await member.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await saved;
    await member.keyboard.press('Escape');
    expect(await member.getByRole('menu').count()).toBe(0);
    await member.reload();
    expect(await member.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await member.getByRole('heading', { name: 'Team members' }).waitFor();
    await screenshot(member, '10-team-dark');

    const freshContext = await browser.newContext({ colorScheme: 'light' });
    freshContext.on('page', watchCsp);
    const fresh = await freshContext.newPage();
    await fresh.goto(`${portico.url}/dashboard/sign-in`);
    await fresh.getByLabel('Email').fill(memberEmail);
    await fresh.getByLabel('Password').fill(PASSWORD);
    await fresh.getByRole('button', { name: 'Sign in' }).click();
    await fresh.getByRole('heading', { name: 'Staging overview' }).waitFor();
    expect(await fresh.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  });

  it('saves email notification settings on the User Settings page', async () => {
    await member.getByRole('button', { name: 'Account menu for Charles Babbage' }).click();
    await member.getByRole('menuitem', { name: 'User Settings' }).click();
    await member.getByRole('heading', { name: 'User Settings' }).waitFor();
    await member.getByText(/the operator who runs it can change them/).waitFor();
    await member.getByLabel('Product updates').check();
    await member.getByRole('button', { name: 'Save notification settings' }).click();
    await member.getByRole('region', { name: 'Notifications' }).getByText('Notification settings saved.').waitFor();
    await member.reload();
    expect(await member.getByLabel('Product updates').isChecked()).toBe(true);
    await screenshot(member, '11-user-settings-dark');
  });

  it('runs the whole journey under the dashboard’s Content-Security-Policy without a single violation', () => {
    expect(cspViolations).toEqual([]);
  });
});
