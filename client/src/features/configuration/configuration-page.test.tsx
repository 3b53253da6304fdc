import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderScreen, STAGING } from '../../test/render-screen';
import { OAuthProvidersQuery, UpdateOAuthProviderMutation } from './api';
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
});
