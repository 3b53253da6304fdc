import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderScreen, STAGING } from '../../test/render-screen';
import { OrganizationsQuery } from './api';
import { OrganizationsPage } from './organizations-page';

const page = (edges: unknown[]) => ({
  request: { query: OrganizationsQuery, variables: { environmentId: STAGING.id, search: null } },
  result: { data: { environment: { __typename: 'Environment', id: STAGING.id, organizations: { __typename: 'OrganizationConnection', edges, pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null } } } } },
});

describe('Organizations page', () => {
  it('invites a first organization when there are none', async () => {
    renderScreen(<OrganizationsPage />, { mocks: [page([])] });
    expect(await screen.findByRole('heading', { name: 'No organizations yet' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Create your first organization' })).toBeTruthy();
  });

  it('lists organizations with their domains and connection states', async () => {
    renderScreen(<OrganizationsPage />, {
      mocks: [page([{ __typename: 'OrganizationEdge', node: {
        __typename: 'Organization', id: 'org_01J00000000000000000000000', name: 'Acme', createdAt: '2026-11-01T10:00:00.000Z',
        domains: [{ __typename: 'OrganizationDomain', id: 'org_domain_1', domain: 'acme.com' }],
        ssoConnections: [{ __typename: 'SsoConnection', id: 'conn_1', state: 'ACTIVE', connectionType: 'OktaSAML' }],
      } }])],
    });
    const link = await screen.findByRole('link', { name: 'Acme' });
    expect(link.getAttribute('href')).toBe('/organizations/org_01J00000000000000000000000');
    expect(screen.getByText('acme.com')).toBeTruthy();
    expect(screen.getByText('Active')).toBeTruthy();
  });
});
