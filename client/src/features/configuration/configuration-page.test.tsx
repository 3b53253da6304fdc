import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderScreen, STAGING } from '../../test/render-screen';
import { OAuthProvidersQuery, UpdateOAuthProviderMutation } from './api';
import { OAuthSessionsQuery } from '../sessions/api';
import { ConfigurationPage } from './configuration-page';

const TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';
const row = (provider: string, extra: Record<string, unknown> = {}) => ({
  __typename: 'OAuthProviderSettings', provider, enabled: false, clientId: null, clientSecretSet: false, appleTeamId: null, appleKeyId: null, applePrivateKeySet: false,
  microsoftTenant: 'common', redirectUri: 'https://sso.example.com/sso/oauth/callback', ...extra,
});
const providers = { request: { query: OAuthProvidersQuery, variables: { environmentId: STAGING.id } }, result: { data: { environment: { __typename: 'Environment', id: STAGING.id, oauthProviders: ['GoogleOAuth', 'MicrosoftOAuth', 'GitHubOAuth', 'AppleOAuth'].map((p) => row(p)) } } } };

describe('Configuration → OAuth providers', () => {
  it('offers the tenant setting on Microsoft only, and saves it with the provider', async () => {
    const input = { environmentId: STAGING.id, provider: 'MicrosoftOAuth', enabled: false, clientId: null, microsoftTenant: TENANT };
    const saved = { request: { query: UpdateOAuthProviderMutation, variables: { input } }, result: { data: { updateOAuthProvider: row('MicrosoftOAuth', { microsoftTenant: TENANT }) } } };
    renderScreen(<ConfigurationPage tab="oauth" />, { mocks: [providers, saved, providers], path: '/configuration/oauth' });
    const microsoft = (await screen.findByRole('heading', { name: /Microsoft OAuth/ })).closest('form')!;
    const google = screen.getByRole('heading', { name: /Google OAuth/ }).closest('form')!;
    expect(within(google).queryByLabelText('Tenant')).toBeNull();
    const tenant = within(microsoft).getByLabelText('Tenant') as HTMLInputElement;
    expect(tenant.value).toBe('common');
    fireEvent.change(tenant, { target: { value: TENANT } });
    fireEvent.click(within(microsoft).getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Microsoft OAuth settings saved.')).toBeTruthy();
  });

  it('lists an enabled provider’s recent sign-ins, each linking to its Session Details, and pages in older ones', async () => {
    const withGoogle = { ...providers, result: { data: { environment: { ...providers.result.data.environment, oauthProviders: providers.result.data.environment.oauthProviders.map((p) => (p.provider === 'GoogleOAuth' ? { ...p, enabled: true, clientId: 'x.apps.googleusercontent.com', clientSecretSet: true } : p)) } } } };
    const node = (n: number, extra: Record<string, unknown> = {}) => ({ __typename: 'OAuthSession', id: `sso_session_01J000000000000000000000${n}0`, provider: 'GoogleOAuth', state: 'SUCCESSFUL', timedOut: false, email: `user${n}@gmail.com`, error: null, errorReason: null, startedAt: '2026-11-26T10:00:00.000Z', ...extra });
    const page = (nodes: object[], hasNextPage: boolean, endCursor: string | null) => ({ data: { environment: { __typename: 'Environment', id: STAGING.id, oauthSessions: { __typename: 'OAuthSessionConnection', totalCount: 2, edges: nodes.map((n) => ({ __typename: 'OAuthSessionEdge', node: n })), pageInfo: { __typename: 'PageInfo', hasNextPage, endCursor } } } } });
    const first = { request: { query: OAuthSessionsQuery, variables: { environmentId: STAGING.id, provider: 'GoogleOAuth', first: 5 } }, result: page([node(1, { state: 'FAILED', error: 'OAUTH_PROVIDER_ERROR', errorReason: 'consent_denied', email: null })], true, 'c1') };
    const older = { request: { query: OAuthSessionsQuery, variables: { environmentId: STAGING.id, provider: 'GoogleOAuth', first: 5, after: 'c1' } }, result: page([node(2)], false, 'c2') };
    renderScreen(<ConfigurationPage tab="oauth" />, { mocks: [withGoogle, first, older], path: '/configuration/oauth' });
    const list = await screen.findByRole('region', { name: 'Recent sign-ins with Google' });
    expect(await within(list).findByText('OAuth Provider Error')).toBeTruthy();
    expect(within(list).getByRole('link', { name: /Unknown yet/ }).getAttribute('href')).toBe('/oauth-sessions/sso_session_01J00000000000000000000010');
    // Only enabled providers have a list.
    expect(screen.queryByRole('region', { name: 'Recent sign-ins with GitHub' })).toBeNull();
    fireEvent.click(within(list).getByRole('button', { name: 'Load older sign-ins' }));
    expect((await within(list).findByRole('link', { name: /user2@gmail.com/ })).getAttribute('href')).toBe('/oauth-sessions/sso_session_01J00000000000000000000020');
    expect(within(list).getAllByRole('link')).toHaveLength(2);
  });
});
