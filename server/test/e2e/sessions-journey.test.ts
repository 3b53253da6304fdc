import type { Browser, Page } from 'playwright-core';
import { uniqueEmail } from '../helpers/factories';
import { describeInBrowser, launchChromium, screenshot } from '../helpers/browser';
import { startPorticoProcess, type PorticoProcess } from '../helpers/process';
import { CALLBACK, TestIdp, signInThroughPortico, type ResponseOptions } from '../helpers/sso';
import { TEST_SECRET_KEY } from '../helpers/app';
import { keys } from '../saml/forge';
import { signUpInBrowser } from '../helpers/sign-up-journey';


describeInBrowser('Sessions tab and Session Details in Chromium, after real sign-ins with each of the five errors', () => {
  let portico: PorticoProcess;
  let browser: Browser;
  let page: Page;
  const idp = new TestIdp();
  let connection: { id: string; acsUrl: string; spEntityId: string };
  let clientId: string;
  let apiKey: string;
  let spCertificate: string;

  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await page.request.post(`${portico.url}/graphql`, { data: { query, variables }, headers: { 'content-type': 'application/json' } });
    const body = await res.json();
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };

  /** A real SP-initiated sign-in: authorize → (IdP) → ACS; a success is also exchanged for the profile. */
  const signIn = (opts: ResponseOptions) => signInThroughPortico({ url: portico.url, clientId, apiKey, idp }, connection, opts);

  beforeAll(async () => {
    portico = await startPorticoProcess({ DATABASE_URL: process.env.PORTICO_TEST_DATABASE_URL!, PORTICO_SEED_DEMO: 'false', PORTICO_SECRET_KEY: TEST_SECRET_KEY });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' })).newPage();
    await signUpInBrowser(page, portico, { name: 'Katherine Johnson', email: uniqueEmail('sessions'), password: 'a-long-and-happy-passphrase', workspaceName: 'Orbital Mechanics' });

    const { viewer } = await gql('{ viewer { workspace { environments { id kind clientId } } } }');
    const staging = viewer.workspace.environments.find((e: { kind: string }) => e.kind === 'STAGING');
    clientId = staging.clientId;
    apiKey = (await gql('mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', { input: { environmentId: staging.id, name: 'e2e' } })).createApiKey.secret;
    await gql('mutation($input: AddRedirectUriInput!) { addRedirectUri(input: $input) { id } }', { input: { environmentId: staging.id, uri: CALLBACK } });
    const org = (await gql('mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }', { input: { environmentId: staging.id, name: 'Acme', domains: ['acme.com'] } })).createOrganization;
    connection = (await gql('mutation($input: CreateSamlConnectionInput!) { createSamlConnection(input: $input) { id acsUrl spEntityId } }', { input: { organizationId: org.id, connectionType: 'OktaSAML', metadataXml: idp.metadataXml() } })).createSamlConnection;
    spCertificate = (await gql('mutation($id: ID!) { generateSpEncryptionKey(id: $id) { spEncryptionCertificate { pem } } }', { id: connection.id })).generateSpEncryptionKey.spEncryptionCertificate.pem;
    // Mid-rollout: the IdP does not encrypt yet, so the other errors arrive in plain assertions beside a Decryption Failed.
    await gql('mutation($input: UpdateSamlConnectionInput!) { updateSamlConnection(input: $input) { id } }', { input: { id: connection.id, acceptUnencryptedAssertions: true } });
  });
  afterAll(async () => {
    await browser?.close();
    await portico?.stop();
  });

  const ids: Record<string, string> = {};

  it('records a successful sign-in and one failure of each kind through the real flow', async () => {
    ids.success = await signIn({});
    ids.attributes = await signIn({ attributes: { id: 'u1', email: 'ada@acme.com', first_name: 'Ada' } });
    ids.certificate = await signIn({ signWith: keys.otherIdp });
    ids.malformed = await signIn({ audience: 'https://someone-else.example/sp' });
    ids.domain = await signIn({ nameId: 'eve@elsewhere.com', attributes: { id: 'u2', email: 'eve@elsewhere.com', firstName: 'Eve', lastName: 'Ng' } });
    ids.decryption = await signIn({ encryptTo: keys.sp.cert });
  });

  it('lists them newest first on the Sessions tab, with filters', async () => {
    await page.goto(`${portico.url}/dashboard/connections/${connection.id}/sessions`);
    const rows = page.locator('tbody tr');
    await rows.nth(5).waitFor();
    expect(await rows.count()).toBe(6);
    await expect(rows.nth(0).textContent()).resolves.toContain('Decryption Failed');
    await expect(rows.nth(5).textContent()).resolves.toContain('Successful');
    await screenshot(page, '30-sessions-tab');
    await page.getByLabel('Status').selectOption('FAILED');
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 5);
    await page.getByLabel('User email starts with').fill('eve');
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
    await expect(rows.nth(0).textContent()).resolves.toContain('Profile Not Allowed Outside Organization');
    await screenshot(page, '31-sessions-filtered');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 6);
  });

  it('shows a new sign-in at the top while the tab is open', async () => {
    const newest = await signIn({ attributes: { id: 'u9', email: 'grace@acme.com', firstName: 'Grace', lastName: 'H' } });
    await page.locator('tbody tr').first().filter({ hasText: 'grace@acme.com' }).waitFor({ timeout: 15_000 });
    expect(await page.locator('tbody tr').count()).toBe(7);
    ids.newest = newest;
  });

  const open = async (id: string) => {
    await page.goto(`${portico.url}/dashboard/sessions/${id}`);
    await page.getByTestId('session-id').filter({ hasText: id }).waitFor();
  };

  it('explains each failure for the person who must fix it', async () => {
    await open(ids.attributes!);
    await page.getByRole('heading', { name: 'Required attributes are missing' }).waitFor();
    await page.getByText('Missing: First name (firstName); Last name (lastName)').waitFor();
    await page.getByRole('cell', { name: 'first_name' }).waitFor();
    await screenshot(page, '32-session-invalid-attributes');

    await open(ids.certificate!);
    await page.getByRole('heading', { name: 'Signed with another certificate' }).waitFor();
    await page.getByText('In the response (<X509Certificate>)').waitFor();
    await page.getByText('Different', { exact: true }).waitFor();
    await page.getByText('CN=portico-test-other-idp').first().waitFor();
    await screenshot(page, '33-session-invalid-certificate');

    await open(ids.malformed!);
    await page.getByRole('heading', { name: 'The assertion is addressed to another service provider' }).waitFor();
    await page.getByText('https://someone-else.example/sp').first().waitFor();
    await page.getByText(/fix it/).first().waitFor();
    await screenshot(page, '34-session-malformed');

    await open(ids.decryption!);
    await page.getByRole('heading', { name: 'The assertion could not be decrypted' }).waitFor();
    await page.getByText('The IdP encrypted to (KeyInfo)').waitFor();
    await page.getByText('CN=portico-test-sp').first().waitFor();
    await screenshot(page, '35-session-decryption-failed');

    await open(ids.domain!);
    await page.getByRole('heading', { name: 'The user’s email domain is not the organization’s' }).waitFor();
    await page.getByText('elsewhere.com', { exact: true }).waitFor();
    await screenshot(page, '36-session-profile-not-allowed');
    await page.getByRole('button', { name: 'Add elsewhere.com to Acme' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Add domain' }).click();
    await page.getByText('elsewhere.com is now one of Acme’s domains').waitFor();
    expect(await signIn({ nameId: 'eve@elsewhere.com', attributes: { id: 'u2', email: 'eve@elsewhere.com', firstName: 'Eve', lastName: 'Ng' } })).toMatch(/^sso_session_/);
  });

  it('shows a successful sign-in with its timeline and the raw SAML, pretty-printed', async () => {
    await open(ids.success!);
    await page.getByRole('heading', { name: /Successful sign-in/ }).waitFor();
    await page.getByText('Successful: the app exchanged the code for the profile').waitFor();
    await page.getByRole('heading', { name: 'SAML Request' }).waitFor();
    await page.getByRole('heading', { name: 'SAML Response' }).waitFor();
    const response = await page.getByLabel('SAML Response XML').textContent();
    expect(response).toContain('  <saml:Assertion');
    await screenshot(page, '37-session-successful');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, '38-session-successful-dark');
  });

  /** `name`-<width>-<scheme> at 1440 and 390 px, light and dark; then back to the journey's 1280 px, light. */
  async function screenshotsAtSizes(name: string) {
    for (const [width, height] of [[1440, 900], [390, 844]] as const) {
      await page.setViewportSize({ width, height });
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await screenshot(page, `${name}-${width}-${scheme}`);
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ colorScheme: 'light' });
  }

  it('shows an encrypted sign-in’s decrypted assertion beside the raw response, and the keys it used', async () => {
    const id = await signIn({ encryptTo: spCertificate, attributes: { id: 'u9', email: 'ada@acme.com', firstName: 'Ada', lastName: 'Lovelace', department: 'Analytical Engines' } });
    await page.emulateMedia({ colorScheme: 'light' });
    await open(id);
    await page.getByRole('heading', { name: 'Decrypted assertion' }).waitFor();
    const raw = await page.getByLabel('SAML Response XML').textContent();
    expect(raw).toContain('EncryptedAssertion');
    expect(raw).not.toContain('Analytical Engines');
    const decrypted = await page.getByLabel('Decrypted assertion XML').textContent();
    expect(decrypted).toContain('Analytical Engines');
    await page.getByText('Current SP encryption key').waitFor();
    await screenshotsAtSizes('39-session-decrypted-assertion');
  });

  it('shows an SP key rollover on the connection page: the next key beside the current one, and which one sign-ins used', async () => {
    const { generateSpEncryptionKey } = await gql('mutation($id: ID!) { generateSpEncryptionKey(id: $id) { spNextEncryptionCertificate { pem fingerprintSha256 } } }', { id: connection.id });
    const next = generateSpEncryptionKey.spNextEncryptionCertificate;
    await signIn({ encryptTo: next.pem });
    await page.goto(`${portico.url}/dashboard/connections/${connection.id}`);
    const card = page.getByTestId('next-sp-key');
    await card.waitFor();
    expect(await card.textContent()).toMatch(/1 sign-in in 30 days/);
    await page.getByRole('checkbox', { name: /Require signed assertions/ }).waitFor();
    await screenshotsAtSizes('40-connection-key-rollover');
    // Promote, with the keyboard: the shared confirmation names the connection, Escape cancels, Enter on the
    // confirming button promotes, and the next key becomes current.
    const promote = page.getByRole('button', { name: 'Promote to current' });
    await promote.focus();
    await page.keyboard.press('Enter');
    const confirmation = page.getByRole('alertdialog', { name: /^Promote the next key of .+ to current\?$/ });
    await confirmation.waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await page.keyboard.press('Escape');
    await confirmation.waitFor({ state: 'hidden' });
    expect(await promote.evaluate((button) => button === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await confirmation.waitFor();
    await screenshot(page, '41-confirm-promote-key');
    const focusOn = (label: string) => page.waitForFunction((text) => document.activeElement?.textContent === text, label, { timeout: 10_000 });
    await focusOn('Cancel');
    await page.keyboard.press('Tab');
    await focusOn('Promote key');
    const promoted = page.waitForResponse((r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('PromoteSpEncryptionKey'));
    await page.keyboard.press('Enter');
    expect((await (await promoted).json()).errors).toBeUndefined(); // the server promoted it
    await card.waitFor({ state: 'detached' });
    await page.getByRole('region', { name: 'Notifications' }).getByText('The next key is now current.').waitFor();
    await screenshot(page, '42-toast-key-promoted');
    const { connection: after } = await gql('query($id: ID!) { connection(id: $id) { spEncryptionCertificate { fingerprintSha256 } spNextEncryptionCertificate { fingerprintSha256 } } }', { id: connection.id });
    expect(after).toEqual({ spEncryptionCertificate: { fingerprintSha256: next.fingerprintSha256 }, spNextEncryptionCertificate: null });
  });
});
