import { fireEvent, screen, within } from '@testing-library/react';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { renderScreen, STAGING } from '../../test/render-screen';
import { CreateOrganizationMutation, OrganizationsQuery } from './api';
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

  it('drops the server’s error on a field once that field is edited, and the banner once none is left', async () => {
    const invalid = new GraphQLError('Invalid input', { extensions: { code: 'BAD_USER_INPUT', details: [{ field: 'name', code: 'too_long', message: 'Name must be at most 100 characters.' }] } });
    renderScreen(<OrganizationsPage />, { mocks: [page([]), { request: { query: CreateOrganizationMutation, variables: { input: { environmentId: STAGING.id, name: 'A'.repeat(101), domains: ['acme.com'] } } }, result: { errors: [invalid] } }] });
    fireEvent.click((await screen.findAllByRole('button', { name: 'Create organization' }))[0]!);
    const dialog = within(screen.getByRole('dialog'));
    fireEvent.change(dialog.getByLabelText('Name'), { target: { value: 'A'.repeat(101) } });
    fireEvent.change(dialog.getByLabelText('User email domains'), { target: { value: 'acme.com' } });
    fireEvent.click(dialog.getByRole('button', { name: 'Create organization' }));
    expect(await dialog.findByText('Name must be at most 100 characters.')).toBeTruthy();
    expect(dialog.getByText('Please correct the fields marked below.')).toBeTruthy();
    fireEvent.change(dialog.getByLabelText('User email domains'), { target: { value: 'acme.com, acme.org' } });
    expect(dialog.getByText('Name must be at most 100 characters.')).toBeTruthy();
    fireEvent.change(dialog.getByLabelText('Name'), { target: { value: 'Acme' } });
    expect(dialog.queryByText('Name must be at most 100 characters.')).toBeNull();
    expect(dialog.queryByText('Please correct the fields marked below.')).toBeNull();
    expect(dialog.getByLabelText('Name').getAttribute('aria-invalid')).toBeNull();
  });
});
