import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderScreen, STAGING } from '../../test/render-screen';
import { ApiKeysQuery, CreateApiKeyMutation } from './api';
import { ApiKeysCard } from './api-keys-card';

const keys = (edges: unknown[]) => ({ request: { query: ApiKeysQuery, variables: { environmentId: STAGING.id } }, result: { data: { environment: { __typename: 'Environment', id: STAGING.id, apiKeys: { __typename: 'ApiKeyConnection', totalCount: edges.length, edges } } } } });
const created = { request: { query: CreateApiKeyMutation, variables: { input: { environmentId: STAGING.id, name: 'web' } } }, result: { data: { createApiKey: { __typename: 'CreatedApiKey', secret: 'sk_test_secret', apiKey: { __typename: 'ApiKey', id: 'key_1', name: 'web', maskedValue: 'sk_test_…cret' } } } } };
const edge = { __typename: 'ApiKeyEdge', node: { __typename: 'ApiKey', id: 'key_1', name: 'web', maskedValue: 'sk_test_…cret', lastUsedAt: null, createdAt: '2026-11-01T00:00:00.000Z', revealable: true } };

async function createKey(environmentName: string) {
  renderScreen(<ApiKeysCard environmentId={STAGING.id} environmentName={environmentName} />, { mocks: [keys([]), created, keys([edge])] });
  fireEvent.click(await screen.findByRole('button', { name: 'Create API key' }));
  const dialog = within(screen.getByRole('dialog', { name: 'Create API key' }));
  fireEvent.change(dialog.getByLabelText('Name'), { target: { value: 'web' } });
  fireEvent.click(dialog.getByRole('button', { name: 'Create key' }));
  expect(await screen.findByTestId('api-key-secret')).toBeTruthy();
}

describe('API keys card', () => {
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
