import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PortalContext } from './api';
import { DirectorySyncPage, POLL_MS, type DsyncSetup } from './directory-sync-page';
import { PortalContextProvider } from './portal-context';

const CONTEXT: PortalContext = {
  organization: { id: 'org_1', name: 'Acme' }, intent: 'dsync', expiresAt: '2026-12-01T20:00:00.000Z',
  branding: { name: 'Northwind HR', logoUrl: null, brandColor: null }, supportEmail: null, returnUrl: 'https://app.example.com/settings', successUrl: 'https://app.example.com/done',
};
const TOKEN = 'scim_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV';
const DIRECTORY = {
  id: 'directory_1', name: 'Acme Microsoft Entra ID', provider: 'entra' as const, type: 'azure scim v2.0', state: 'unlinked' as const,
  scimBaseUrl: 'https://portico.example/scim/v2/directory_1', tokenLastFour: 'RSTUV', tokenRotatedAt: '2026-12-01T16:00:00.000Z', createdAt: '2026-12-01T16:00:00.000Z', providerLocked: false,
};
const EMPTY = { counts: { users: 0, activeUsers: 0, groups: 0 }, users: [], groups: [], customAttributes: [{ id: 'ca_1', key: 'department', label: 'Department', type: 'string', path: null }], rawAttributePaths: [] };
const ARRIVED: Omit<DsyncSetup, 'directory'> = {
  counts: { users: 2, activeUsers: 1, groups: 1 },
  users: [
    { id: 'u2', userName: 'bob@acme.com', email: 'bob@acme.com', firstName: 'Bob', lastName: 'Byte', state: 'inactive', createdAt: '2026-12-01T16:01:00.000Z', groups: [] },
    { id: 'u1', userName: 'grace@acme.com', email: 'grace@acme.com', firstName: 'Grace', lastName: 'Hopper', state: 'active', createdAt: '2026-12-01T16:00:30.000Z', groups: ['Engineering'] },
  ],
  groups: [{ id: 'g1', name: 'Engineering', members: 1, createdAt: '2026-12-01T16:00:40.000Z' }],
  customAttributes: [{ id: 'ca_1', key: 'department', label: 'Department', type: 'string', path: null }],
  rawAttributePaths: [{ path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User.department', sample: 'Navy', users: 1 }],
};

/** The portal API as the server answers it; `calls` records what the page sent. */
function fakePortal(initial: DsyncSetup) {
  let state: DsyncSetup = initial;
  const calls: string[] = [];
  const respond = (status: number, body: unknown) => Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
  vi.stubGlobal('fetch', vi.fn((url: string, init: RequestInit) => {
    const path = url.replace('/portal/api', '');
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    calls.push(`${init.method} ${path}${body ? ` ${JSON.stringify(body)}` : ''}`);
    if (init.method === 'GET' && path === '/dsync') return respond(200, state);
    if (path === '/dsync/provider') {
      state = { directory: { ...DIRECTORY, provider: body.provider }, ...EMPTY };
      return respond(200, { ...state, token: TOKEN });
    }
    if (path === '/dsync/token') return respond(200, { ...state, directory: { ...state.directory!, tokenLastFour: 'WXYZ1' }, token: 'scim_new_token_WXYZ1' });
    if (path.startsWith('/dsync/attributes/')) {
      if (body.path === null) return respond(200, state);
      state = { ...state, customAttributes: [{ ...state.customAttributes![0]!, path: body.path }] };
      return respond(200, state);
    }
    if (path === '/complete') return respond(200, { completed: true, redirectUrl: null });
    return respond(404, { code: 'not_found', message: 'No such portal endpoint', errors: [] });
  }));
  return { calls, arrive: () => { state = { directory: { ...state.directory!, state: 'linked', providerLocked: true }, ...ARRIVED }; } };
}

const renderPage = () => render(<PortalContextProvider value={CONTEXT}><DirectorySyncPage /></PortalContextProvider>);

describe('Admin Portal → Directory Sync', () => {
  beforeEach(() => vi.useFakeTimers({ shouldAdvanceTime: true }));
  afterEach(() => vi.useRealTimers());

  it('picks Entra ID, shows its Tenant URL and the Secret Token once with copy buttons, then users appear without a reload and setup can finish', async () => {
    const portal = fakePortal({ directory: null });
    renderPage();
    await screen.findByRole('heading', { name: 'Choose your directory provider' });
    expect(screen.getAllByRole('button', { name: /Okta|Microsoft Entra ID|Google Workspace|OneLogin|JumpCloud|Another SCIM 2.0 provider/ })).toHaveLength(6);
    expect(screen.queryByRole('heading', { name: /Connect/ })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Microsoft Entra ID' }));
    await screen.findByRole('heading', { name: 'Connect Microsoft Entra ID' });
    expect(portal.calls).toContain('POST /dsync/provider {"provider":"entra"}');
    expect(screen.getByRole('button', { name: 'Microsoft Entra ID' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByText(DIRECTORY.scimBaseUrl)).toBeTruthy();
    expect(screen.getByText(TOKEN)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy Tenant URL' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy Secret Token' })).toBeTruthy();
    expect(screen.getByText(/it is shown only once/)).toBeTruthy();
    expect(screen.getByText(/Waiting for Microsoft Entra ID/)).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Finish' })).toBeNull();

    // The IdP provisions; the next poll brings the users in, and the token stays on screen (polling never returns it).
    portal.arrive();
    await act(async () => { await vi.advanceTimersByTimeAsync(POLL_MS); });
    await screen.findByText('2 users (1 active) and 1 group received.');
    const users = screen.getByRole('table', { name: 'Latest users' });
    expect(within(users).getByText('Grace Hopper')).toBeTruthy();
    expect(within(users).getByText('Inactive')).toBeTruthy();
    expect(within(users).getByText('Groups: Engineering')).toBeTruthy();
    expect(within(screen.getByRole('table', { name: 'Latest groups' })).getByText('Engineering')).toBeTruthy();
    expect(screen.getByText(TOKEN)).toBeTruthy();
    // Provider switching is locked once users came from it.
    expect((screen.getByRole('button', { name: 'Okta' }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.change(screen.getByLabelText(/Department/), { target: { value: ARRIVED.rawAttributePaths![0]!.path } });
    await screen.findByText(`department now comes from ${ARRIVED.rawAttributePaths![0]!.path}.`);
    expect(portal.calls).toContain(`PUT /dsync/attributes/ca_1 {"path":"${ARRIVED.rawAttributePaths![0]!.path}"}`);

    fireEvent.click(screen.getByRole('button', { name: 'Finish setup' }));
    await screen.findByText(/Setup is complete/);
    expect(portal.calls).toContain('POST /complete {}');
  });

  it('reopened later: the token is never shown again, only its end and a Rotate that asks first', async () => {
    const portal = fakePortal({ directory: { ...DIRECTORY, provider: 'okta', name: 'Acme Okta' }, ...EMPTY });
    renderPage();
    await screen.findByRole('heading', { name: 'Connect Okta' });
    expect(screen.getByText('SCIM connector base URL')).toBeTruthy();
    expect(screen.getByText(/Unique identifier field for users” to userName/)).toBeTruthy();
    expect(screen.getByText(/Token ending in/)).toBeTruthy();
    expect(screen.queryByText(TOKEN)).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Rotate token' }));
    expect(screen.getByText(/The current token stops working at once/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(portal.calls.filter((c) => c.startsWith('POST /dsync/token'))).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: 'Rotate token' }));
    fireEvent.click(screen.getByRole('button', { name: 'Rotate now' }));
    await screen.findByText('scim_new_token_WXYZ1');
    expect(screen.getByRole('button', { name: 'Copy Authorization (HTTP Header, Bearer token)' })).toBeTruthy();
  });

  it('says in words what went wrong when a choice is refused', async () => {
    fakePortal({ directory: null });
    vi.stubGlobal('fetch', vi.fn((_url: string, init: RequestInit) => Promise.resolve(new Response(JSON.stringify(init.method === 'GET' ? { directory: null } : { code: 'bad_user_input', message: 'Okta is already connected to this directory. To switch providers, ask the application team.', errors: [{ field: 'provider', code: 'provider_locked' }] }), { status: init.method === 'GET' ? 200 : 422 }))));
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'JumpCloud' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Okta is already connected to this directory. To switch providers, ask the application team.');
  });
});
