import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderScreen, STAGING } from '../../test/render-screen';
import { ApiKeysQuery, CreateApiKeyMutation } from './api';
import { ApiKeysCard } from './api-keys-card';

const key = (id: string, name: string, scope: string) => ({ __typename: 'ApiKey', id, name, scope, maskedValue: 'sk_test_••••••••abcd', lastUsedAt: null, createdAt: '2026-11-01T10:00:00Z', revealable: true });
const list = (keys: ReturnType<typeof key>[]) => ({
  request: { query: ApiKeysQuery, variables: { environmentId: STAGING.id } },
  result: { data: { environment: { __typename: 'Environment', id: STAGING.id, apiKeys: { __typename: 'ApiKeyConnection', totalCount: keys.length, edges: keys.map((node) => ({ __typename: 'ApiKeyEdge', node })) } } } },
});

describe('API keys card', () => {
  it('shows each key’s scope in the list', async () => {
    renderScreen(<ApiKeysCard environmentId={STAGING.id} environmentName="Staging" />, { mocks: [list([key('key_1', 'Terraform', 'FULL_ENVIRONMENT'), key('key_2', 'Reporting', 'READ_ONLY')])] });
    expect(await screen.findByText('Terraform')).toBeTruthy();
    const rows = screen.getAllByRole('row').slice(1).map((row) => row.textContent);
    expect(rows[0]).toContain('Full environment');
    expect(rows[1]).toContain('Read-only');
  });

  it('creates a key with the scope picked in the dialog (SSO admin unless changed)', async () => {
    const created = { request: { query: CreateApiKeyMutation, variables: { input: { environmentId: STAGING.id, name: 'Reporting', scope: 'READ_ONLY' } } },
      result: { data: { createApiKey: { __typename: 'CreatedApiKey', secret: `sk_test_${'x'.repeat(40)}`, apiKey: key('key_3', 'Reporting', 'READ_ONLY') } } } };
    renderScreen(<ApiKeysCard environmentId={STAGING.id} environmentName="Staging" />, { mocks: [list([]), created, list([key('key_3', 'Reporting', 'READ_ONLY')])] });
    fireEvent.click(await screen.findByRole('button', { name: 'Create API key' }));
    expect((screen.getByRole('radio', { name: /SSO admin/ }) as HTMLInputElement).checked).toBe(true);
    fireEvent.change(screen.getByLabelText(/Name/), { target: { value: 'Reporting' } });
    fireEvent.click(screen.getByRole('radio', { name: /Read-only/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect((await screen.findByTestId('api-key-secret')).textContent).toBe(`sk_test_${'x'.repeat(40)}`);
    expect(await screen.findByRole('cell', { name: /^Reporting/ })).toBeTruthy(); // the list refetched with the new key
  });

  // The created-key dialog's wording follows the environment: Staging keys can be shown again, Production keys not.
  async function createKey(environmentName: string) {
    const created = { request: { query: CreateApiKeyMutation, variables: { input: { environmentId: STAGING.id, name: 'web', scope: 'SSO_ADMIN' } } },
      result: { data: { createApiKey: { __typename: 'CreatedApiKey', secret: 'sk_test_secret', apiKey: key('key_1', 'web', 'SSO_ADMIN') } } } };
    // The first list answers only after the key is created: the refetch must not join that request in flight.
    renderScreen(<ApiKeysCard environmentId={STAGING.id} environmentName={environmentName} />, { mocks: [{ ...list([]), delay: 300 }, { ...created, delay: 0 }, { ...list([key('key_1', 'web', 'SSO_ADMIN')]), delay: 0 }] });
    fireEvent.click(await screen.findByRole('button', { name: 'Create API key' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Create API key' }));
    fireEvent.change(dialog.getByLabelText(/Name/), { target: { value: 'web' } });
    fireEvent.click(dialog.getByRole('button', { name: 'Create key' }));
    expect(await screen.findByTestId('api-key-secret')).toBeTruthy();
    expect(await screen.findByRole('cell', { name: /^web/ })).toBeTruthy(); // the list refetched (nothing left in flight)
  }

  it('does not tell a Staging key’s creator it is the only time the key is shown', async () => {
    await createKey('Staging');
    expect(screen.getByText(/A Staging key can be shown again/)).toBeTruthy();
    expect(screen.queryByText(/only time it is shown/)).toBeNull();
  });

  it('warns that a Production key is shown only this once', async () => {
    await createKey('Production');
    expect(screen.getByText(/This is the only time it is shown/)).toBeTruthy();
  });
});
