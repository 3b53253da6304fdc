import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { MemoryRouter, Route, Routes } from 'react-router';
import type { DomainCheck, PortalContext, PortalDomain, SsoSetup, TestSignIn } from './api';
import { DomainVerificationPage } from './domain-verification-page';
import { PortalContextProvider } from './portal-context';
import { SsoSetupPage } from './sso-setup-page';
import { TestResultPage } from './test-result-page';

const CONTEXT: PortalContext = {
  organization: { id: 'org_01J00000000000000000000000', name: 'Acme' }, intent: 'domain_verification', expiresAt: '2026-12-01T20:00:00.000Z',
  branding: { name: 'Foo Corp', logoUrl: null, brandColor: '#6d28d9' }, supportEmail: 'help@foo.example', returnUrl: 'https://app.example.com', successUrl: 'https://app.example.com/done',
};

type Handler = (body: unknown) => { status?: number; body: unknown };

/** The portal API, answered per "METHOD /path"; records what the page sent. */
function mockPortalApi(routes: Record<string, Handler>) {
  const calls: { route: string; body: unknown }[] = [];
  vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit = {}) => {
    const route = `${init.method ?? 'GET'} ${url.replace('/portal/api', '')}`;
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ route, body });
    const handler = routes[route];
    const answer = handler ? handler(body) : { status: 404, body: { code: 'not_found', message: 'No such portal endpoint', errors: [] } };
    return new Response(JSON.stringify(answer.body), { status: answer.status ?? 200, headers: { 'content-type': 'application/json' } });
  }));
  return calls;
}

const inPortal = (ui: ReactNode, ctx: Partial<PortalContext> = {}) => render(<PortalContextProvider value={{ ...CONTEXT, ...ctx }}>{ui}</PortalContextProvider>);

const pending: PortalDomain = { id: 'org_domain_01J0000000000000000000000A', domain: 'acme.dev', state: 'pending', record: { type: 'TXT', name: '_portico-challenge.acme.dev', value: '0123456789abcdef0123456789abcdef' } };
const check = (over: Partial<DomainCheck>): DomainCheck => ({ domain: { ...pending, state: 'failed' }, result: 'record_not_found', message: 'No TXT record named _portico-challenge.acme.dev was found.', received: [], completed: false, ...over });

describe('the portal’s domain verification page', () => {
  it('adds a domain, shows the record to create with copy buttons, and says why a check failed', async () => {
    let domains: PortalDomain[] = [];
    const calls = mockPortalApi({
      'GET /domains': () => ({ body: { domains } }),
      'POST /domains': (body) => {
        if ((body as { domain: string }).domain === 'gmail.com') return { status: 422, body: { code: 'bad_user_input', message: 'domain: …', errors: [{ field: 'domain', code: 'consumer_domain', message: 'gmail.com is a public email provider; it can’t identify one organization.' }] } };
        domains = [pending];
        return { body: { domain: pending, domains } };
      },
      [`POST /domains/${pending.id}/check`]: () => ({ body: check({ result: 'token_mismatch', message: 'A TXT record named _portico-challenge.acme.dev exists, but its value is not the one below.', received: ['stale-token'] }) }),
    });
    inPortal(<DomainVerificationPage />);
    const input = await screen.findByLabelText('Domain');
    expect(screen.getByRole('heading', { name: 'Add your domain' })).toBeTruthy();

    fireEvent.change(input, { target: { value: 'gmail.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add domain' }));
    expect(await screen.findByText(/public email provider/)).toBeTruthy();
    expect(input.getAttribute('aria-invalid')).toBe('true');

    fireEvent.change(input, { target: { value: 'acme.dev' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add domain' }));
    const card = (await screen.findByRole('heading', { name: /acme\.dev/ })).closest('section')!;
    expect(within(card).getByText('Waiting for the record')).toBeTruthy();
    expect(within(card).getByText('_portico-challenge.acme.dev')).toBeTruthy();
    expect(within(card).getByText(pending.record!.value)).toBeTruthy();
    expect(within(card).getByRole('button', { name: 'Copy record name for acme.dev' })).toBeTruthy();
    expect(within(card).getByRole('button', { name: 'Copy record value for acme.dev' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Add another domain' })).toBeTruthy();

    fireEvent.click(within(card).getByRole('button', { name: 'Check the record' }));
    const alert = await within(card).findByRole('alert');
    expect(alert.textContent).toMatch(/^The record has the wrong value\. A TXT record named/);
    expect(within(alert).getByText('stale-token')).toBeTruthy();
    expect(within(card).getByRole('button', { name: 'Check again' })).toBeTruthy();
    expect(within(card).getByText('Not verified yet')).toBeTruthy();
    expect(calls.map((c) => c.route)).toEqual(['GET /domains', 'POST /domains', 'POST /domains', `POST /domains/${pending.id}/check`]);
  });

  it('tells a failed look-up apart from a missing record', async () => {
    mockPortalApi({
      'GET /domains': () => ({ body: { domains: [pending] } }),
      [`POST /domains/${pending.id}/check`]: () => ({ body: check({ result: 'lookup_failed', message: 'Your domain’s DNS servers did not answer the look-up.' }) }),
    });
    inPortal(<DomainVerificationPage />);
    fireEvent.click(await screen.findByRole('button', { name: 'Check the record' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^The look-up failed\. Your domain’s DNS servers did not answer/);
  });

  it('announces a verified domain, moves the focus to it and continues to the success URL', async () => {
    mockPortalApi({
      'GET /domains': () => ({ body: { domains: [pending] } }),
      [`POST /domains/${pending.id}/check`]: () => ({ body: check({ result: 'verified', message: null, completed: true, domain: { ...pending, state: 'verified' } }) }),
    });
    inPortal(<DomainVerificationPage />);
    fireEvent.click(await screen.findByRole('button', { name: 'Check the record' }));
    const done = await screen.findByText('Domain verification is complete.');
    await waitFor(() => expect(document.activeElement).toBe(done.closest('[role="status"]')));
    expect(screen.getByRole('link', { name: 'Continue' }).getAttribute('href')).toBe('https://app.example.com/done');
    expect(screen.queryByRole('button', { name: /Check/ })).toBeNull();
    expect(within(screen.getByRole('list')).getByText('acme.dev')).toBeTruthy();
  });
});

describe('the portal’s SSO setup page', () => {
  const connection = (idp: 'okta' | 'google'): NonNullable<SsoSetup['connection']> => ({
    id: 'conn_01J00000000000000000000000', state: 'draft', idp, connectionType: idp === 'okta' ? 'OktaSAML' : 'GoogleSAML',
    sp: { acsUrl: 'https://sso.example.com/sso/saml/acs/conn_01J', spEntityId: 'https://sso.example.com/sso/saml/sp/conn_01J', metadataUrl: 'https://sso.example.com/sso/saml/metadata/conn_01J' },
    attributeStatements: [{ field: 'email', names: ['email'], nameId: false }], idpEntityId: null, idpSsoUrl: null, idpMetadataUrl: null, certificates: [], oidc: null,
  });
  const oidcConnection = (over: Partial<NonNullable<SsoSetup['connection']>['oidc']> = {}, state: 'draft' | 'validating' = 'draft'): NonNullable<SsoSetup['connection']> => ({
    ...connection('okta'), idp: 'oidc', connectionType: 'GenericOIDC', state, attributeStatements: [],
    oidc: { redirectUri: 'https://sso.example.com/sso/oauth/callback', discoveryUrl: null, issuer: null, clientId: null, clientSecretSet: false, ...over },
  });

  it('offers every identity provider, then shows the steps written for the one picked, in its console’s words', async () => {
    const calls = mockPortalApi({
      'GET /sso': () => ({ body: { connection: null } }),
      'POST /sso/idp': (body) => ({ body: { connection: connection((body as { idp: 'okta' | 'google' }).idp) } }),
    });
    inPortal(<SsoSetupPage />, { intent: 'sso' });
    const picker = await screen.findByRole('group', { name: 'Identity provider' });
    expect(within(picker).getAllByRole('button').map((b) => b.textContent)).toEqual(['Okta', 'Microsoft Entra ID', 'Google Workspace', 'Microsoft AD FS', 'OneLogin', 'JumpCloud', 'PingOne', 'Another SAML 2.0 provider', 'Okta (OpenID Connect)', 'Microsoft Entra ID (OpenID Connect)', 'OpenID Connect (any IdP)']);
    expect(screen.queryByRole('heading', { name: /Create the application/ })).toBeNull();

    fireEvent.click(within(picker).getByRole('button', { name: 'Google Workspace' }));
    expect(await screen.findByRole('heading', { name: 'Create the application in Google Workspace' })).toBeTruthy();
    expect(within(picker).getByRole('button', { name: 'Google Workspace' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByText(/Add custom SAML app/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy ACS URL' })).toBeTruthy();
    expect(screen.getByText('https://sso.example.com/sso/saml/acs/conn_01J')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Test sign-in' })).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Test sign-in' }) as HTMLButtonElement).disabled).toBe(true);
    expect(calls.find((c) => c.route === 'POST /sso/idp')!.body).toEqual({ idp: 'google' });
  });

  it('gives Okta and Entra ID over OpenID Connect their own steps and discovery URL shape', async () => {
    const calls = mockPortalApi({
      'GET /sso': () => ({ body: { connection: null } }),
      'POST /sso/idp': (body) => ({ body: { connection: { ...oidcConnection(), idp: (body as { idp: 'okta_oidc' | 'entra_oidc' }).idp, connectionType: (body as { idp: string }).idp === 'okta_oidc' ? 'OktaOIDC' : 'EntraIdOIDC' } } }),
    });
    inPortal(<SsoSetupPage />, { intent: 'sso' });
    const picker = await screen.findByRole('group', { name: 'Identity provider' });
    fireEvent.click(within(picker).getByRole('button', { name: 'Okta (OpenID Connect)' }));
    expect(await screen.findByRole('heading', { name: 'Create the application in Okta' })).toBeTruthy();
    expect(screen.getByText(/“OIDC - OpenID Connect” and “Web Application”/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy Sign-in redirect URIs' })).toBeTruthy();
    expect(screen.getByLabelText('Discovery URL or issuer').getAttribute('placeholder')).toBe('https://acme.okta.com');

    fireEvent.click(within(picker).getByRole('button', { name: 'Microsoft Entra ID (OpenID Connect)' }));
    expect(await screen.findByRole('heading', { name: 'Create the application in Microsoft Entra ID' })).toBeTruthy();
    expect(screen.getByText(/App registrations/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy Redirect URI (Web)' })).toBeTruthy();
    expect(calls.filter((c) => c.route === 'POST /sso/idp').map((c) => c.body)).toEqual([{ idp: 'okta_oidc' }, { idp: 'entra_oidc' }]);
  });

  it('offers OpenID Connect: the redirect URI to copy, then discovery URL, client ID and a write-only secret, with errors on their fields', async () => {
    const saved = oidcConnection({ discoveryUrl: 'https://idp.example.com/.well-known/openid-configuration', issuer: 'https://idp.example.com', clientId: 'portico-app', clientSecretSet: true }, 'validating');
    let attempt = 0;
    const calls = mockPortalApi({
      'GET /sso': () => ({ body: { connection: null } }),
      'POST /sso/idp': () => ({ body: { connection: oidcConnection() } }),
      'PUT /sso/idp-details': () => (attempt++ === 0
        ? { status: 422, body: { code: 'bad_user_input', message: 'Invalid input', errors: [{ field: 'discoveryUrl', code: 'fetch_failed', message: 'Portico could not read a discovery document at https://nope.example/.well-known/openid-configuration.' }] } }
        : { body: { connection: saved } }),
    });
    inPortal(<SsoSetupPage />, { intent: 'sso' });
    fireEvent.click(within(await screen.findByRole('group', { name: 'Identity provider' })).getByRole('button', { name: 'OpenID Connect (any IdP)' }));
    expect(await screen.findByRole('heading', { name: 'Create the application in your identity provider' })).toBeTruthy();
    expect(screen.getByText(/authorization code flow/)).toBeTruthy();
    expect(screen.getByText('https://sso.example.com/sso/oauth/callback')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy Sign-in redirect URI (callback URL)' })).toBeTruthy();
    expect(screen.queryByText(/ACS/)).toBeNull();

    fireEvent.change(screen.getByLabelText('Discovery URL or issuer'), { target: { value: 'https://nope.example' } });
    fireEvent.change(screen.getByLabelText('Client ID'), { target: { value: 'portico-app' } });
    fireEvent.change(screen.getByLabelText('Client secret'), { target: { value: 's3cret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save and check' }));
    const url = screen.getByLabelText('Discovery URL or issuer');
    await waitFor(() => expect(url.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById(url.getAttribute('aria-describedby')!.split(' ').pop()!)!.textContent).toMatch(/could not read a discovery document/);
    expect(calls.filter((c) => c.route === 'PUT /sso/idp-details')[0]!.body).toEqual({ discoveryUrl: 'https://nope.example', clientId: 'portico-app', clientSecret: 's3cret' });

    fireEvent.change(url, { target: { value: 'https://idp.example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save and check' }));
    expect(await screen.findByText(/The connection now trusts https:\/\/idp.example.com/)).toBeTruthy();
    // Write-only: the secret is said to be set, never shown; replacing it opens an empty field.
    expect(document.querySelector('input[type="password"]')).toBeNull();
    expect(within(screen.getByRole('group', { name: 'Client secret' })).getByText('Set')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Replace secret' }));
    expect((screen.getByLabelText('Client secret') as HTMLInputElement).value).toBe('');
    expect((screen.getByRole('button', { name: 'Test sign-in' }) as HTMLButtonElement).disabled).toBe(false);
  });
});

describe('the portal’s test sign-in result', () => {
  const failed: TestSignIn = {
    id: 'sso_session_01J00000000000000000000000', state: 'FAILED', connectionState: 'active', startedAt: '2026-12-01T18:00:00.000Z', email: null, profile: null,
    error: 'INVALID_X509_CERTIFICATE', errorReason: 'certificate_mismatch', errorMessage: 'The response is signed with a certificate that is not the one uploaded for this connection',
    errorDetails: { expected: 'AA:BB', received: 'CC:DD', receivedCertificate: { fingerprintSha256: 'CC:DD', subject: 'CN=new-idp-cert' } },
  };
  const atResult = (intent: PortalContext['intent']) => inPortal(
    <MemoryRouter initialEntries={[`/sso/test/${failed.id}`]}><Routes><Route path="/sso/test/:id" element={<TestResultPage />} /></Routes></MemoryRouter>, { intent },
  );

  it('during a certificate renewal, says where the new certificate goes (not a setup step), and shows the certificate that signed', async () => {
    mockPortalApi({ [`GET /sso/tests/${failed.id}`]: () => ({ body: failed }) });
    atResult('certificate_renewal');
    expect((await screen.findByRole('alert')).textContent).toBe('Invalid X509 Certificate: Signed with another certificate');
    expect(screen.getByText(/upload it under “Add the new certificate”, then test again\.$/)).toBeTruthy();
    expect(screen.queryByText(/step 3/)).toBeNull();
    expect(screen.getByText('Certificate saved under “Add the new certificate”').tagName).toBe('DT');
    expect(screen.getByText('CN=new-idp-cert')).toBeTruthy();
  });

  it('“Try again” starts a new test, and says why when Portico refuses it', async () => {
    const calls = mockPortalApi({
      [`GET /sso/tests/${failed.id}`]: () => ({ body: failed }),
      'POST /sso/test': () => ({ status: 409, body: { code: 'conflict', message: 'Save your identity provider’s details first.', errors: [] } }),
    });
    atResult('sso');
    const button = await screen.findByRole('button', { name: 'Try again' });
    button.focus();
    fireEvent.click(button);
    // Busy: still focused (a disabled button would drop the keyboard focus to the page), and a second click sends nothing.
    const busy = screen.getByRole('button', { name: 'Opening your identity provider…' });
    expect(busy.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(busy);
    fireEvent.click(busy);
    expect(screen.getAllByText(/upload it in step 3, then test again\.$/).length).toBe(1);
    expect(await screen.findByText('Save your identity provider’s details first.')).toBeTruthy();
    expect(calls.filter((c) => c.route === 'POST /sso/test')).toHaveLength(1);
    const again = screen.getByRole('button', { name: 'Try again' });
    expect(again.getAttribute('aria-disabled')).toBeNull();
    expect(document.activeElement).toBe(again);
  });
});
