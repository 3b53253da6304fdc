import { screen, within } from '@testing-library/react';
import { GraphQLError } from 'graphql';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { renderScreen } from '../../test/render-screen';
import { OAuthSessionQuery } from './api';
import { OAuthSessionPage } from './oauth-session-page';

const ID = 'sso_session_01J0000000000000000000000G';
const EXCHANGE = {
  authorization_request: { url: 'https://accounts.google.com/o/oauth2/v2/auth', params: { client_id: '1234.apps.googleusercontent.com', scope: 'openid email profile', state: '[redacted]', nonce: '[redacted]' } },
  token_response: { access_token: '[redacted]', id_token: '[redacted]', token_type: 'Bearer', expires_in: 3599, scope: 'openid email profile' },
  id_token_header: { alg: 'RS256', kid: 'k1' },
  id_token_claims: { iss: 'https://accounts.google.com', sub: '1082', aud: '1234.apps.googleusercontent.com', email: 'ada@gmail.com', email_verified: true, exp: 1795000000 },
};

function oauthSession(overrides: Record<string, unknown>) {
  return {
    request: { query: OAuthSessionQuery, variables: { id: ID } },
    result: {
      data: {
        oauthSession: {
          __typename: 'OAuthSession', id: ID, provider: 'GoogleOAuth', state: 'SUCCESSFUL', timedOut: false, email: 'ada@gmail.com', firstName: 'Ada', lastName: 'Lovelace', idpId: '1082',
          redirectUri: 'https://app.example.com/callback', profile: { object: 'profile', email: 'ada@gmail.com' }, oauthExchange: EXCHANGE,
          error: null, errorReason: null, errorMessage: null, errorDetails: null,
          startedAt: '2026-11-26T10:00:00.000Z', authorizedAt: '2026-11-26T10:00:03.000Z', succeededAt: '2026-11-26T10:00:04.000Z', failedAt: null, createdAt: '2026-11-26T10:00:00.000Z',
          ...overrides,
        },
      },
    },
  };
}

const render = (mock: ReturnType<typeof oauthSession> | { request: { query: typeof OAuthSessionQuery; variables: { id: string } }; result: { errors: GraphQLError[] } }) => renderScreen(<Routes><Route path="/oauth-sessions/:id" element={<OAuthSessionPage />} /></Routes>, { mocks: [mock], path: `/oauth-sessions/${ID}` });

describe('OAuth Session Details', () => {
  it('shows a successful Google sign-in: the user, the timeline and the raw exchange with its tokens redacted', async () => {
    render(oauthSession({}));
    expect(await screen.findByRole('heading', { level: 1, name: /Successful sign-in with Google/ })).toBeTruthy();
    expect(screen.getByText('Successful: the app exchanged the code for the profile and tokens')).toBeTruthy();
    const request = screen.getByRole('region', { name: 'Authorization request' });
    expect(within(request).getByText('https://accounts.google.com/o/oauth2/v2/auth')).toBeTruthy();
    const token = screen.getByRole('region', { name: 'Token response' });
    expect(within(token).getAllByText('[redacted]')).toHaveLength(2);
    const claims = screen.getByRole('region', { name: 'ID token' });
    expect(within(claims).getByText('RS256')).toBeTruthy();
    expect(within(claims).getByText('1082')).toBeTruthy();
    expect(screen.queryByRole('region', { name: /How to fix|Sign-in failed/ })).toBeNull();
    expect(screen.getByRole('link', { name: 'Google sign-ins' }).getAttribute('href')).toBe('/configuration/oauth#oauth-GoogleOAuth');
  });

  it('diagnoses a declined consent: the kind, how to fix it, and the provider’s error and description', async () => {
    render(oauthSession({
      state: 'FAILED', succeededAt: null, authorizedAt: null, failedAt: '2026-11-26T10:00:05.000Z', email: null, firstName: null, lastName: null, idpId: null, profile: null,
      oauthExchange: { authorization_request: EXCHANGE.authorization_request },
      error: 'OAUTH_PROVIDER_ERROR', errorReason: 'consent_denied', errorMessage: 'The user declined to sign in at the provider (access_denied)',
      errorDetails: { expected: null, received: null, providerError: 'access_denied', providerErrorDescription: 'End-User aborted interaction' },
    }));
    const diagnosis = await screen.findByRole('region', { name: 'The user declined to sign in at the provider' });
    expect(within(diagnosis).getByText(/OAuth Provider Error/)).toBeTruthy();
    expect(within(diagnosis).getByText(/Cancel or Deny on the provider’s consent screen/)).toBeTruthy();
    expect(within(diagnosis).getByText('access_denied')).toBeTruthy();
    expect(within(diagnosis).getByText('End-User aborted interaction')).toBeTruthy();
    expect(screen.getByText('Failed: OAuth Provider Error')).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Token response' })).toBeNull();
  });

  it('shows what an ID-token check expected and received', async () => {
    render(oauthSession({
      state: 'FAILED', succeededAt: null, authorizedAt: null, failedAt: '2026-11-26T10:00:05.000Z', profile: null, oauthExchange: null,
      error: 'INVALID_ID_TOKEN', errorReason: 'invalid_id_token_audience', errorMessage: 'The ID token is for another client',
      errorDetails: { expected: '1234.apps.googleusercontent.com', received: ['other-client'] },
    }));
    const diagnosis = await screen.findByRole('region', { name: 'The ID token is addressed to another client' });
    expect(within(diagnosis).getByText('Invalid ID Token · The ID token is for another client')).toBeTruthy();
    expect(within(diagnosis).getByText('1234.apps.googleusercontent.com')).toBeTruthy();
    expect(within(diagnosis).getByText('other-client')).toBeTruthy();
    expect(screen.getByText('The raw exchange is not kept for this attempt.')).toBeTruthy();
  });

  it('answers a session that is not there with the error state', async () => {
    render({ request: { query: OAuthSessionQuery, variables: { id: ID } }, result: { errors: [new GraphQLError('OAuth session not found', { extensions: { code: 'NOT_FOUND' } })] } });
    expect(await screen.findByText(/not found/i)).toBeTruthy();
  });
});
