import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderScreen } from '../../test/render-screen';
import { ConnectionSessionsQuery } from '../connections/api';
import { SessionsTab } from './sessions-tab';

const CONNECTION = 'conn_01J00000000000000000000000';
const sessions = (edges: unknown[], unrecordedFailedAttempts = 0) => ({
  request: { query: ConnectionSessionsQuery, variables: { id: CONNECTION, first: 50, filter: { statuses: null, errors: null, email: null, from: null, to: null } } },
  result: { data: { connection: { __typename: 'SsoConnection', id: CONNECTION, state: 'ACTIVE', unrecordedFailedAttempts, sessions: { __typename: 'SsoSessionConnection', edges, pageInfo: { __typename: 'PageInfo', hasNextPage: true, endCursor: 'c' } } } } },
});
const session = (id: string, state: string, extra: Record<string, unknown> = {}) => ({
  __typename: 'SsoSessionEdge',
  node: { __typename: 'SsoSession', id, state, origin: 'SP', timedOut: false, testSignIn: false, email: null, firstName: null, lastName: null, error: null, errorMessage: null, createdAt: '2026-11-26T10:00:00.000Z', ...extra },
});

describe('Sessions tab', () => {
  it('tells how to start a test sign-in when there are no sessions', async () => {
    renderScreen(<SessionsTab connectionId={CONNECTION} />, { mocks: [{ ...sessions([]), result: { data: { connection: { __typename: 'SsoConnection', id: CONNECTION, state: 'ACTIVE', unrecordedFailedAttempts: 0, sessions: { __typename: 'SsoSessionConnection', edges: [], pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null } } } } } }] });
    expect(await screen.findByRole('heading', { name: 'No sign-ins yet' })).toBeTruthy();
    expect(screen.getByText(/getAuthorizationUrl/)).toBeTruthy();
  });

  it('shows each attempt’s status, error, user and a link to its details, and offers older pages', async () => {
    renderScreen(<SessionsTab connectionId={CONNECTION} />, {
      mocks: [sessions([
        session('sso_session_01J0000000000000000000000B', 'FAILED', { email: 'eve@elsewhere.com', error: 'PROFILE_NOT_ALLOWED_OUTSIDE_ORGANIZATION', errorMessage: 'eve@elsewhere.com is outside the organization' }),
        session('sso_session_01J0000000000000000000000A', 'STARTED', { timedOut: true }),
      ])],
    });
    expect(await screen.findByText('eve@elsewhere.com')).toBeTruthy();
    // the error's label appears in the row (and as an option of the error filter)
    expect(screen.getAllByText('Profile Not Allowed Outside Organization').some((el) => el.tagName === 'STRONG')).toBe(true);
    expect(screen.getAllByText('Timed out').some((el) => el.classList.contains('badge'))).toBe(true);
    expect(screen.getByRole('link', { name: 'Session sso_session_01J0000000000000000000000B' }).getAttribute('href')).toBe('/sessions/sso_session_01J0000000000000000000000B');
    expect(screen.getByRole('button', { name: 'Load older sessions' })).toBeTruthy();
  });

  it('keeps each row to one line: a relative time with the exact time on hover, Started and Authorized in different colours', async () => {
    const createdAt = new Date(Date.now() - 3 * 60_000).toISOString();
    renderScreen(<SessionsTab connectionId={CONNECTION} />, {
      mocks: [sessions([
        session('sso_session_01J0000000000000000000000B', 'AUTHORIZED', { email: 'ada@acme.com', firstName: 'Ada', lastName: 'L', createdAt }),
        session('sso_session_01J0000000000000000000000A', 'STARTED', { createdAt }),
      ])],
    });
    const time = (await screen.findAllByText('3 minutes ago'))[0]!;
    expect(time.tagName).toBe('TIME');
    expect(time.getAttribute('title')).toMatch(/\d{2}:\d{2}:\d{2}/);
    expect(document.querySelector('table')!.classList.contains('single-line')).toBe(true);
    expect(document.querySelectorAll('tbody td div')).toHaveLength(0);
    const badge = (label: string) => screen.getAllByText(label).find((el) => el.classList.contains('badge'))!;
    expect(badge('Started').className).not.toBe(badge('Authorized').className);
  });

  it('says how many failed attempts were refused but not recorded, and says nothing when none were', async () => {
    const failed = session('sso_session_01J0000000000000000000000C', 'FAILED', { error: 'MALFORMED_SAML_RESPONSE', errorMessage: 'SAMLResponse is not base64' });
    const { unmount } = renderScreen(<SessionsTab connectionId={CONNECTION} />, { mocks: [sessions([failed], 1234)] });
    expect(await screen.findByText(/^1,234 more failed sign-in attempts were not recorded in the last 24 hours/)).toBeTruthy();
    unmount();
    renderScreen(<SessionsTab connectionId={CONNECTION} />, { mocks: [sessions([failed])] });
    expect(await screen.findAllByText('Malformed SAML Response')).toBeTruthy();
    expect(screen.queryByText(/were not recorded/)).toBeNull();
  });

  it('opens filtered to one error from the Overview’s link (?status=FAILED&error=…), and ignores an unknown error', async () => {
    const filtered = sessions([session('sso_session_01J0000000000000000000000C', 'FAILED', { email: 'bob@acme.com', error: 'INVALID_X509_CERTIFICATE', errorMessage: 'signed by another certificate' })]);
    filtered.request.variables.filter = { statuses: ['FAILED'], errors: ['INVALID_X509_CERTIFICATE'], email: null, from: null, to: null } as never;
    renderScreen(<SessionsTab connectionId={CONNECTION} />, { mocks: [filtered], path: `/connections/${CONNECTION}/sessions?status=FAILED&error=INVALID_X509_CERTIFICATE` });
    expect(await screen.findByText('bob@acme.com')).toBeTruthy();
    expect((screen.getByLabelText('Error') as HTMLSelectElement).value).toBe('INVALID_X509_CERTIFICATE');
  });

  it('ignores an error in the address that is not one of the five', async () => {
    renderScreen(<SessionsTab connectionId={CONNECTION} />, { mocks: [sessions([session('sso_session_01J0000000000000000000000D', 'SUCCESSFUL', { email: 'ann@acme.com' })])], path: `/connections/${CONNECTION}/sessions?error=NOPE` });
    expect(await screen.findByText('ann@acme.com')).toBeTruthy();
  });
});
