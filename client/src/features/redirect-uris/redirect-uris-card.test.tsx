import { fireEvent, screen, within } from '@testing-library/react';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { renderScreen, STAGING } from '../../test/render-screen';
import { AddRedirectUriMutation, RedirectUrisQuery, RemoveRedirectUriMutation } from './api';
import { RedirectUrisCard } from './redirect-uris-card';

const CALLBACK = 'http://localhost:3000/callback';
const uris = { request: { query: RedirectUrisQuery, variables: { environmentId: STAGING.id } }, result: { data: { environment: { __typename: 'Environment', id: STAGING.id, redirectUris: [{ __typename: 'RedirectUri', id: 'redirect_uri_1', uri: CALLBACK, isDefault: true, createdAt: '2026-11-01T00:00:00.000Z' }] } } } };

describe('Redirect URIs card', () => {
  it('drops the server’s refusal once the URI is edited', async () => {
    const duplicate = new GraphQLError(`${CALLBACK} is already on the list`, { extensions: { code: 'CONFLICT' } });
    renderScreen(<RedirectUrisCard environmentId={STAGING.id} kind="STAGING" />, { mocks: [uris, { request: { query: AddRedirectUriMutation, variables: { input: { environmentId: STAGING.id, uri: CALLBACK } } }, result: { errors: [duplicate] } }] });
    const input = await screen.findByLabelText('Add a redirect URI');
    fireEvent.change(input, { target: { value: CALLBACK } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect(await screen.findByText(`${CALLBACK} is already on the list`)).toBeTruthy();
    fireEvent.change(input, { target: { value: 'http://localhost:3000/callback2' } });
    expect(screen.queryByText(`${CALLBACK} is already on the list`)).toBeNull();
    expect(input.getAttribute('aria-invalid')).toBeNull();
  });

  it('removes a URI only after the shared confirmation names it, then says so in a toast', async () => {
    let removed = 0;
    const remove = { request: { query: RemoveRedirectUriMutation, variables: { id: 'redirect_uri_1' } }, result: () => { removed += 1; return { data: { removeRedirectUri: { __typename: 'RedirectUri', id: 'redirect_uri_1' } } }; } };
    renderScreen(<RedirectUrisCard environmentId={STAGING.id} kind="STAGING" />, { mocks: [uris, remove, uris] });
    fireEvent.click(await screen.findByRole('button', { name: `Remove ${CALLBACK}` }));
    const dialog = await screen.findByRole('alertdialog', { name: `Remove redirect URI ${CALLBACK}?` });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await new Promise((r) => setTimeout(r, 50));
    expect(removed).toBe(0);
    fireEvent.click(screen.getByRole('button', { name: `Remove ${CALLBACK}` }));
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Remove redirect URI' }));
    expect(await screen.findByText(`Redirect URI ${CALLBACK} removed.`)).toBeTruthy();
    expect(removed).toBe(1);
  });
});
