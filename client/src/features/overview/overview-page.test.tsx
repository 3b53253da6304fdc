import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderScreen, STAGING } from '../../test/render-screen';
import { EnvironmentOverviewQuery } from './api';
import { OverviewPage } from './overview-page';

const figures = (attempts: number, succeeded: number, failed: number) => ({
  __typename: 'SignInFigures', attempts, succeeded, failed, failureRate: succeeded + failed ? failed / (succeeded + failed) : null,
});
const checklist = (done: Partial<Record<string, boolean>> = {}) => ({
  __typename: 'OnboardingChecklist', apiKeyCreated: false, redirectUriAdded: false, organizationCreated: false, connectionActive: false, signInSucceeded: false, directorySynced: false, ...done,
});
const EMPTY = {
  __typename: 'EnvironmentOverview', checklist: checklist(), signIns24h: figures(0, 0, 0), signIns7d: figures(0, 0, 0), topErrors: [],
  connectionsByState: { __typename: 'ConnectionStateCounts', draft: 0, validating: 0, active: 0, inactive: 0 }, connectionsNeedingAttention: [],
  directoryCount: 0, directories: [], expiringCertificates: [], generatedAt: '2026-12-01T12:00:00.000Z',
};
const ALL_DONE = checklist({ apiKeyCreated: true, redirectUriAdded: true, organizationCreated: true, connectionActive: true, signInSucceeded: true, directorySynced: true });
const POPULATED = {
  ...EMPTY,
  checklist: checklist({ apiKeyCreated: true, redirectUriAdded: true, organizationCreated: true }),
  signIns24h: figures(12, 8, 4), signIns7d: figures(40, 34, 6),
  topErrors: [{ __typename: 'TopSignInError', error: 'INVALID_X509_CERTIFICATE', count: 3, connectionId: 'conn_1', connectionName: 'Okta SAML', organizationName: 'Acme', latestSessionId: 'sso_session_1' }],
  connectionsByState: { __typename: 'ConnectionStateCounts', draft: 1, validating: 0, active: 2, inactive: 0 },
  connectionsNeedingAttention: [{ __typename: 'OverviewConnection', id: 'conn_2', name: 'Entra ID', state: 'DRAFT', organizationName: 'Globex' }],
  directoryCount: 1,
  directories: [{ __typename: 'OverviewDirectory', id: 'directory_1', name: 'Okta directory', type: 'okta scim v2.0', state: 'linked', organizationName: 'Acme', lastRequestAt: new Date(Date.now() - 3 * 60_000).toISOString(), lastRequestStatus: 500 }],
  expiringCertificates: [{ __typename: 'ExpiringCertificate', connectionId: 'conn_3', connectionName: 'ADFS', organizationName: 'Initech', notAfter: new Date(Date.now() + 9.5 * 86_400_000).toISOString(), expired: false }],
};

const mock = (overview: unknown) => ({
  request: { query: EnvironmentOverviewQuery, variables: { environmentId: STAGING.id } },
  result: { data: { environment: { __typename: 'Environment', id: STAGING.id, overview } } },
  maxUsageCount: 5,
});

describe('Overview page', () => {
  it('shows a new environment’s checklist with nothing done, the first step as Next, and empty states', async () => {
    renderScreen(<OverviewPage />, { mocks: [mock(EMPTY)] });
    const list = within(await screen.findByRole('region', { name: 'Get started' }));
    expect(list.getByRole('progressbar', { name: '0 of 6 done' }).getAttribute('aria-valuenow')).toBe('0');
    const steps = list.getAllByRole('listitem');
    expect(steps).toHaveLength(6);
    expect(within(steps[0]!).getByText('Next')).toBeTruthy();
    expect(within(steps[0]!).getByRole('link', { name: 'Create an API key' }).getAttribute('href')).toBe('/configuration');
    expect(within(steps[2]!).getByRole('link', { name: 'Create an organization' }).getAttribute('href')).toBe('/organizations');
    expect(list.queryByRole('button', { name: 'Hide checklist' })).toBeNull();
    for (const title of ['No failed sign-ins', 'No connections yet', 'No directories yet', 'Nothing expires soon']) expect(screen.getByRole('heading', { name: title })).toBeTruthy();
    expect(screen.getAllByText('No outcomes yet')).toHaveLength(2);
  });

  it('ticks the steps the data says are done and moves Next to the first open one', async () => {
    renderScreen(<OverviewPage />, { mocks: [mock(POPULATED)] });
    const list = within(await screen.findByRole('region', { name: 'Get started' }));
    expect(list.getByRole('progressbar', { name: '3 of 6 done' })).toBeTruthy();
    const steps = list.getAllByRole('listitem');
    expect(steps[0]!.textContent).toContain('Create an API key: done');
    expect(within(steps[0]!).queryByRole('link')).toBeNull();
    expect(within(steps[3]!).getByText('Next')).toBeTruthy();
    expect(steps[3]!.textContent).toContain('Activate a connection: to do');
  });

  it('shows the figures, and links each top error, connection, directory and certificate to its filtered page', async () => {
    renderScreen(<OverviewPage />, { mocks: [mock(POPULATED)] });
    const signIns = within(await screen.findByRole('region', { name: 'Sign-ins' }));
    expect(signIns.getByText('12')).toBeTruthy();
    expect(signIns.getByText('33%')).toBeTruthy();
    expect(signIns.getByText('4 of 12 failed')).toBeTruthy();
    expect(signIns.getByText('15%')).toBeTruthy();
    const error = within(screen.getByRole('region', { name: 'Top errors' })).getByRole('link', { name: /Invalid X509 Certificate/ });
    expect(error.getAttribute('href')).toBe('/connections/conn_1/sessions?status=FAILED&error=INVALID_X509_CERTIFICATE');
    expect(error.textContent).toContain('3 failed sign-ins');
    const connections = within(screen.getByRole('region', { name: 'Connections' }));
    expect(connections.getByLabelText('2 active')).toBeTruthy();
    expect(connections.getByRole('link', { name: /Entra ID/ }).getAttribute('href')).toBe('/connections/conn_2');
    const directory = within(screen.getByRole('region', { name: 'Directories' })).getByRole('link', { name: /Okta directory/ });
    expect(directory.getAttribute('href')).toBe('/directories/directory_1/log');
    expect(directory.textContent).toContain('(failed, 500)');
    const cert = within(screen.getByRole('region', { name: 'Certificates expiring soon' })).getByRole('link', { name: /ADFS/ });
    expect(cert.getAttribute('href')).toBe('/connections/conn_3');
    expect(cert.textContent).toContain('10 days left');
  });

  it('offers to hide a complete checklist, and keeps it hidden for this environment', async () => {
    const { unmount } = renderScreen(<OverviewPage />, { mocks: [mock({ ...POPULATED, checklist: ALL_DONE })] });
    const done = await screen.findByRole('region', { name: 'You’re set up' });
    fireEvent.click(within(done).getByRole('button', { name: 'Hide checklist' }));
    expect(screen.queryByRole('region', { name: 'You’re set up' })).toBeNull();
    unmount();
    renderScreen(<OverviewPage />, { mocks: [mock({ ...POPULATED, checklist: ALL_DONE })] });
    expect(await screen.findByRole('region', { name: 'Sign-ins' })).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'You’re set up' })).toBeNull();
  });

  it('tells Support who creates API keys and redirect URIs instead of linking to Configuration', async () => {
    renderScreen(<OverviewPage />, { mocks: [mock(EMPTY)], role: 'SUPPORT' });
    const list = within(await screen.findByRole('region', { name: 'Get started' }));
    expect(list.queryByRole('link', { name: 'Create an API key' })).toBeNull();
    expect(list.getAllByText('An Admin or Developer does this in Configuration')).toHaveLength(2);
    expect(list.getByRole('link', { name: 'Create an organization' })).toBeTruthy();
  });

  it('offers to try again when the figures can’t be loaded, and still shows the client ID', async () => {
    renderScreen(<OverviewPage />, { mocks: [{ request: { query: EnvironmentOverviewQuery, variables: { environmentId: STAGING.id } }, error: new Error('Network down') }] });
    expect(await screen.findByRole('alert')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
    expect(screen.getByTestId('client-id').textContent).toBe(STAGING.clientId);
  });
});
