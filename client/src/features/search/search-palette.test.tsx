import { fireEvent, screen, within } from '@testing-library/react';
import { useLocation } from 'react-router';
import { describe, expect, it } from 'vitest';
import { Shell } from '../../app/shell';
import { renderScreen, STAGING } from '../../test/render-screen';
import { SearchQuery } from './api';

const SESSION_ID = 'sso_session_01JB0000000000000000000000';
const hit = (kind: string, id: string, title: string, detail: string | null = null) => ({ __typename: 'SearchHit', kind, id, title, detail });
const mock = (query: string, hits: unknown[], jumpTo: unknown = null) => ({
  request: { query: SearchQuery, variables: { environmentId: STAGING.id, query } },
  result: { data: { environment: { __typename: 'Environment', id: STAGING.id, search: { __typename: 'SearchResults', hits, jumpTo } } } },
});

function Where() {
  const location = useLocation();
  return <output data-testid="location">{location.pathname}</output>;
}

const renderShell = (mocks: ReturnType<typeof mock>[]) => renderScreen(<><Shell /><Where /></>, { mocks });
const palette = () => screen.getByRole('dialog', { name: 'Search Staging' });

describe('Search palette', () => {
  it('opens with Ctrl+K, ⌘K and "/" with the search field focused, but "/" typed in a field stays a character', async () => {
    renderShell([]);
    expect(screen.queryByRole('dialog', { name: 'Search Staging' })).toBeNull();
    fireEvent.keyDown(document, { key: 'k', ctrlKey: true });
    const input = within(palette()).getByRole('combobox', { name: 'Search Staging' });
    expect(document.activeElement).toBe(input);
    expect(input.getAttribute('aria-controls')).toBe(within(palette()).getByRole('listbox', { hidden: true }).id);
    fireEvent(palette(), new Event('cancel'));
    expect(screen.queryByRole('dialog', { name: 'Search Staging' })).toBeNull();

    fireEvent.keyDown(document, { key: 'k', metaKey: true });
    expect(palette()).toBeTruthy();
    fireEvent(palette(), new Event('cancel'));

    const field = document.createElement('input');
    document.body.appendChild(field);
    fireEvent.keyDown(field, { key: '/' });
    expect(screen.queryByRole('dialog', { name: 'Search Staging' })).toBeNull();
    field.remove();
    fireEvent.keyDown(document.body, { key: '/' });
    expect(palette()).toBeTruthy();
  });

  it('opens from the Search button in the top bar, which announces its shortcut', () => {
    renderShell([]);
    const button = screen.getByRole('button', { name: 'Search' });
    expect(button.getAttribute('aria-keyshortcuts')).toMatch(/\+K \/$/);
    fireEvent.click(button);
    expect(palette()).toBeTruthy();
  });

  it('lists hits grouped by kind, moves through them with the arrow keys and opens the chosen one with Enter', async () => {
    renderShell([mock('acme', [
      hit('SESSION', SESSION_ID, 'ada@acme.com', 'Okta · failed'),
      hit('ORGANIZATION', 'org_1', 'Acme', 'acme.com'),
      hit('CONNECTION', 'conn_1', 'Acme Okta', 'Acme · active'),
    ])]);
    fireEvent.keyDown(document, { key: 'k', ctrlKey: true });
    const input = within(palette()).getByRole('combobox');
    fireEvent.change(input, { target: { value: 'acme' } });
    const options = await within(palette()).findAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual(['Acme, Organizationacme.com', 'Acme Okta, ConnectionAcme · active', 'ada@acme.com, SessionOkta · failed']);
    expect(within(palette()).getByRole('status').textContent).toContain('3 results');
    expect(input.getAttribute('aria-expanded')).toBe('true');
    expect(input.getAttribute('aria-activedescendant')).toBe(options[0]!.id);
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(input.getAttribute('aria-activedescendant')).toBe(options[1]!.id);
    expect(options[1]!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(input, { key: 'ArrowUp' });
    fireEvent.keyDown(input, { key: 'ArrowUp' });
    expect(input.getAttribute('aria-activedescendant')).toBe(options[2]!.id);
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(screen.getByTestId('location').textContent).toBe(`/sessions/${SESSION_ID}`);
    expect(screen.queryByRole('dialog', { name: 'Search Staging' })).toBeNull();
  });

  it('jumps straight to the page of a pasted ID', async () => {
    const session = hit('SESSION', SESSION_ID, 'ada@acme.com');
    renderShell([mock(SESSION_ID, [session], session)]);
    fireEvent.keyDown(document, { key: 'k', ctrlKey: true });
    fireEvent.change(within(palette()).getByRole('combobox'), { target: { value: ` ${SESSION_ID}` } });
    await screen.findByText(`/sessions/${SESSION_ID}`);
    expect(screen.queryByRole('dialog', { name: 'Search Staging' })).toBeNull();
  });

  it('says so when a pasted ID is not in this environment, and when nothing matches', async () => {
    const other = 'org_01JB0000000000000000000000';
    renderShell([mock(other, []), mock('zzz', [])]);
    fireEvent.keyDown(document, { key: 'k', ctrlKey: true });
    const input = within(palette()).getByRole('combobox');
    fireEvent.change(input, { target: { value: other } });
    expect(await within(palette()).findByText('Nothing in Staging has this ID.')).toBeTruthy();
    fireEvent.change(input, { target: { value: 'zzz' } });
    expect(await within(palette()).findByText('No results for “zzz” in Staging.')).toBeTruthy();
    expect(input.getAttribute('aria-expanded')).toBe('false');
    expect(screen.getByTestId('location').textContent).toBe('/');
  });
});
