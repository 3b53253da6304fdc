import { fireEvent, screen, within } from '@testing-library/react';
import { GraphQLError } from 'graphql';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { renderScreen } from '../../test/render-screen';
import { SessionQuery } from '../connections/api';
import { AddDomainMutation } from '../organizations/api';
import { SessionPage } from './session-page';

const ID = 'sso_session_01J0000000000000000000000D';
const CERT = { __typename: 'Certificate', subject: 'CN=idp', issuer: 'CN=idp', fingerprintSha256: 'AA:BB', notBefore: '2026-01-01T00:00:00.000Z', notAfter: '2027-01-01T00:00:00.000Z', expired: false };

function failedSession(errorReason: string, errorMessage: string, raw: Record<string, unknown> = {}, withDecryptedAssertion = true) {
  return {
    request: { query: SessionQuery, variables: { id: ID, withDecryptedAssertion } },
    result: {
      data: {
        session: {
          __typename: 'SsoSession', id: ID, state: 'FAILED', origin: 'IDP', timedOut: false, testSignIn: false, profile: null, email: null, firstName: null, lastName: null, idpId: null,
          redirectUri: 'https://app.example.com/callback', provider: null, oauthExchange: null, error: 'MALFORMED_SAML_RESPONSE', errorReason, errorMessage, errorDetails: { expected: null, received: null },
          samlRequest: null, samlResponse: '<samlp:Response/>', samlResponseBytes: 17, samlResponseTruncated: false,
          decryptedAssertion: null, spKeyFingerprint: null, idpCertificateFingerprint: null,
          startedAt: '2026-11-26T10:00:00.000Z', authorizedAt: null, succeededAt: null, failedAt: '2026-11-26T10:00:01.000Z', createdAt: '2026-11-26T10:00:00.000Z',
          connection: {
            __typename: 'SsoConnection', id: 'conn_01J00000000000000000000000', name: 'Acme Okta', connectionType: 'OktaSAML',
            organization: { __typename: 'Organization', id: 'org_01J00000000000000000000000', name: 'Acme' },
            certificates: [CERT], spEncryptionCertificate: CERT, spNextEncryptionCertificate: { ...CERT, fingerprintSha256: 'CC:DD' },
            attributeMapping: { __typename: 'AttributeMapping', idpId: ['id'], email: ['email'], firstName: ['firstName'], lastName: ['lastName'], groups: ['groups'] },
          },
          ...raw,
        },
      },
    },
  };
}

const renderSession = (mock: ReturnType<typeof failedSession>, role: 'ADMIN' | 'DEVELOPER' | 'SUPPORT' = 'ADMIN') =>
  renderScreen(<Routes><Route path="/sessions/:id" element={<SessionPage />} /></Routes>, { mocks: [mock], path: `/sessions/${ID}`, role });

describe('Session Details', () => {
  it('says plainly that a failed attempt’s response was truncated, and how large it was', async () => {
    renderSession(failedSession('xml_too_deep', 'The XML nests elements more than 64 levels deep', { samlResponse: `<samlp:Response>${'A'.repeat(64 * 1024 - 16)}`, samlResponseBytes: 420_000, samlResponseTruncated: true }));
    expect(await screen.findByText(/only the first 64 KB of the 410 KB received are kept/)).toBeTruthy();
    expect(screen.getByText('Truncated:')).toBeTruthy();
  });

  it.each([
    ['assertion_not_encrypted', 'The assertion is not encrypted', /SP certificate shown on the connection page/],
    ['xml_too_deep', 'The response nests XML too deeply', /under 15 levels deep/],
    ['xml_too_large', 'The response is too large', /more than 20,000 elements/],
    ['idp_initiated_disabled', 'IdP-initiated sign-in is turned off for this connection', /Allow IdP-initiated sign-in/],
  ])('explains %s for whoever must fix it', async (reason, title, fix) => {
    renderSession(failedSession(reason, 'refused'));
    expect(await screen.findByRole('heading', { name: title })).toBeTruthy();
    expect(screen.getByText(fix)).toBeTruthy();
    expect(screen.queryByText(/Truncated:/)).toBeNull();
    expect(screen.queryByText('Expected')).toBeNull();
    expect(screen.queryByText('Received')).toBeNull();
  });

  it('shows only the Expected/Received rows the validator filled', async () => {
    renderSession(failedSession('invalid_audience', 'wrong audience', { errorDetails: { expected: 'https://portico.example/sp', received: null } }));
    expect(await screen.findByText('https://portico.example/sp')).toBeTruthy();
    expect(screen.getByText('Expected')).toBeTruthy();
    expect(screen.queryByText('Received')).toBeNull();
  });

  const notAllowed = (domain: string) => failedSession('domain_not_allowed', 'not allowed', {
    error: 'PROFILE_NOT_ALLOWED_OUTSIDE_ORGANIZATION', email: `eve@${domain}`, errorDetails: { domain, allowlist: ['acme.com'] },
  });

  it('does not offer to add a public email domain to the organization, and says why', async () => {
    renderSession(notAllowed('gmail.com'));
    expect(await screen.findByText(/gmail.com is a public email provider/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Add gmail.com/ })).toBeNull();
  });

  it('shows the server’s reason when adding the domain is refused', async () => {
    const refused = new GraphQLError('Invalid input', { extensions: { code: 'BAD_USER_INPUT', details: [{ field: 'domain', code: 'domain_taken', message: 'acme-eu.com already belongs to another organization in this environment.' }] } });
    renderScreen(<Routes><Route path="/sessions/:id" element={<SessionPage />} /></Routes>, {
      path: `/sessions/${ID}`,
      mocks: [notAllowed('acme-eu.com'), { request: { query: AddDomainMutation, variables: { organizationId: 'org_01J00000000000000000000000', domain: 'acme-eu.com' } }, result: { errors: [refused] } }],
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Add acme-eu.com to Acme' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Add domain' }));
    expect(await screen.findByText('acme-eu.com already belongs to another organization in this environment.')).toBeTruthy();
  });
});

describe('Session Details of an encrypted sign-in', () => {
  it('shows the decrypted assertion beside the raw response, and which keys were used', async () => {
    renderSession(failedSession('invalid_audience', 'The assertion is addressed to another service provider', {
      samlResponse: '<samlp:Response><saml:EncryptedAssertion>CIPHERTEXT</saml:EncryptedAssertion></samlp:Response>',
      decryptedAssertion: '<saml:Assertion><saml:NameID>ada@acme.com</saml:NameID></saml:Assertion>',
      spKeyFingerprint: 'CC:DD', idpCertificateFingerprint: 'AA:BB',
    }));
    expect(await screen.findByRole('heading', { name: 'Decrypted assertion' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'SAML Response' })).toBeTruthy();
    expect(document.body.textContent).toContain('ada@acme.com');
    expect(screen.getByText('Next SP encryption key (rollover)')).toBeTruthy();
    expect(screen.getByText('IdP certificate (CN=idp)')).toBeTruthy();
  });

  it('tells Support the decrypted assertion is for Admins and Developers, without asking the server for it', async () => {
    const mock = failedSession('invalid_audience', 'The assertion is addressed to another service provider', {
      samlResponse: '<samlp:Response><saml:EncryptedAssertion>CIPHERTEXT</saml:EncryptedAssertion></samlp:Response>',
      spKeyFingerprint: 'CC:DD', idpCertificateFingerprint: 'AA:BB',
    }, false);
    // @include(if: false): the field is not asked for, so the answer has none.
    delete (mock.result.data.session as { decryptedAssertion?: unknown }).decryptedAssertion;
    renderSession(mock, 'SUPPORT');
    expect(await screen.findByRole('heading', { name: 'Decrypted assertion' })).toBeTruthy();
    expect(screen.getByText(/shown to Admins and Developers/)).toBeTruthy();
    expect(document.body.textContent).not.toContain('ada@acme.com</saml:NameID>');
    expect(screen.getByRole('heading', { name: 'SAML Response' })).toBeTruthy();
  });

  it('shows an OIDC connection’s raw exchange and OAuth diagnosis instead of the SAML messages', async () => {
    renderSession(failedSession('invalid_id_token_issuer', 'The ID token comes from https://evil.example', {
      origin: 'SP', error: 'INVALID_ID_TOKEN', samlResponse: null, samlResponseBytes: null,
      errorDetails: { expected: 'https://idp.acme.com', received: 'https://evil.example' },
      oauthExchange: { authorization_request: { url: 'https://idp.acme.com/authorize', params: { client_id: 'portico', state: '[redacted]' } }, token_response: { access_token: '[redacted]', token_type: 'Bearer' } },
    }));
    const diagnosis = await screen.findByRole('region', { name: 'The ID token comes from another issuer' });
    expect(within(diagnosis).getByText('https://idp.acme.com')).toBeTruthy();
    expect(within(diagnosis).getByText('https://evil.example')).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Authorization request' })).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'Token response' })).getByText('[redacted]')).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'SAML Request' })).toBeNull();
    expect(screen.queryByText(/raw SAML/)).toBeNull();
  });
});
