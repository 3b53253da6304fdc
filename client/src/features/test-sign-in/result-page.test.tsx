import { screen } from '@testing-library/react';
import { GraphQLError } from 'graphql';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { MockLink } from '@apollo/client/testing';
import { renderScreen } from '../../test/render-screen';
import { SessionQuery } from '../connections/api';
import { TestSignInResultPage } from './result-page';

const ID = 'sso_session_01J0000000000000000000000T';
const PROFILE = { object: 'profile', id: 'prof_01J0000000000000000000000P', email: 'ada@example.com', first_name: 'Ada', last_name: 'Lovelace', idp_id: 'test-ada@example.com' };

function session(overrides: Record<string, unknown>) {
  return {
    request: { query: SessionQuery, variables: { id: ID, withDecryptedAssertion: true } },
    result: {
      data: {
        session: {
          __typename: 'SsoSession', id: ID, state: 'SUCCESSFUL', origin: 'SP', timedOut: false, testSignIn: true, profile: PROFILE,
          email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', idpId: 'test-ada@example.com',
          redirectUri: `http://localhost/dashboard/test-sign-in/${ID}`, provider: null, oauthExchange: null, error: null, errorReason: null, errorMessage: null, errorDetails: null,
          samlRequest: '<samlp:AuthnRequest/>', samlResponse: '<samlp:Response/>', samlResponseBytes: 17, samlResponseTruncated: false,
          decryptedAssertion: null, spKeyFingerprint: null, idpCertificateFingerprint: null,
          startedAt: '2026-11-26T10:00:00.000Z', authorizedAt: '2026-11-26T10:00:01.000Z', succeededAt: '2026-11-26T10:00:01.000Z', failedAt: null, createdAt: '2026-11-26T10:00:00.000Z',
          connection: {
            __typename: 'SsoConnection', id: 'conn_01J00000000000000000000000', name: 'Portico Test IdP', connectionType: 'GenericSAML',
            organization: { __typename: 'Organization', id: 'org_01J00000000000000000000000', name: 'Test Organization' },
            certificates: [], spEncryptionCertificate: null, spNextEncryptionCertificate: null,
            attributeMapping: { __typename: 'AttributeMapping', idpId: ['id'], email: ['email'], firstName: ['firstName'], lastName: ['lastName'], groups: ['groups'] },
          },
          ...overrides,
        },
      },
    },
  };
}

const render = (mock: MockLink.MockedResponse) => renderScreen(<Routes><Route path="/test-sign-in/:id" element={<TestSignInResultPage />} /></Routes>, { mocks: [mock], path: `/test-sign-in/${ID}` });

describe('Test sign-in result', () => {
  it('shows the profile the app would receive, and links to the session', async () => {
    render(session({}));
    expect(await screen.findByRole('heading', { name: /Test sign-in succeeded/ })).toBeTruthy();
    expect(screen.getByTestId('test-result-profile').textContent).toContain('"email": "ada@example.com"');
    expect(screen.getByRole('link', { name: 'Open session details' }).getAttribute('href')).toBe(`/sessions/${ID}`);
    expect(screen.getByText(/No code was sent to your app/)).toBeTruthy();
  });

  it('shows a failure with the Session Details diagnosis and no profile', async () => {
    render(session({
      state: 'FAILED', profile: null, firstName: null, lastName: null, succeededAt: null, authorizedAt: null, failedAt: '2026-11-26T10:00:01.000Z',
      error: 'INVALID_ATTRIBUTES', errorReason: 'missing_attributes', errorMessage: 'The response lacks required attributes: firstName; lastName',
      errorDetails: { missing: ['firstName', 'lastName'], received: { id: ['test-ada@example.com'], email: ['ada@example.com'] } },
    }));
    expect(await screen.findByRole('heading', { name: /Test sign-in failed/ })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Required attributes are missing' })).toBeTruthy();
    expect(screen.queryByTestId('test-result-profile')).toBeNull();
  });

  it('says so when the session is not this workspace’s to show', async () => {
    render({ request: { query: SessionQuery, variables: { id: ID, withDecryptedAssertion: true } }, result: { errors: [new GraphQLError('Session not found', { extensions: { code: 'NOT_FOUND' } })] } });
    expect(await screen.findByText(/Session not found/)).toBeTruthy();
    expect(screen.queryByTestId('test-result-profile')).toBeNull();
  });
});
