import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderScreen } from '../../test/render-screen';
import { AdminPortalCard, InvitePortalAdminMutation, OrganizationPortalQuery, RevokePortalLinkMutation } from './admin-portal-card';

const ORG = 'org_01J00000000000000000000000';
const state = (links: unknown[], actions: unknown[]) => ({
  request: { query: OrganizationPortalQuery, variables: { id: ORG } },
  result: { data: { organization: { __typename: 'Organization', id: ORG, portalLinks: links, portalActions: actions } } },
});
const LINK = { __typename: 'PortalLink', id: 'portal_link_1', intent: 'SSO', status: 'ACTIVE', sentTo: 'it@acme.com', createdBy: 'ada@acme.com', createdAt: '2026-11-30T10:00:00.000Z', expiresAt: '2026-12-30T10:00:00.000Z', openedAt: null };
const ACTION = (id: string, action: string, actor: string | null, subject: string | null = null) => ({ __typename: 'PortalActionType', id, intent: 'SSO', action, actor, subject, createdAt: '2026-11-30T10:05:00.000Z' });

describe('Organization → Admin Portal card', () => {
  it('says plainly when there are no links and no portal activity yet', async () => {
    renderScreen(<AdminPortalCard organizationId={ORG} />, { mocks: [state([], [])] });
    expect(await screen.findByText('No setup links yet.')).toBeTruthy();
    expect(screen.getByText('Nothing has happened in the Admin Portal yet.')).toBeTruthy();
  });

  it('invites an IT admin by email, shows the link once with a copy button, and lists the audit trail', async () => {
    renderScreen(<AdminPortalCard organizationId={ORG} />, {
      mocks: [
        state([], []),
        { request: { query: InvitePortalAdminMutation, variables: { input: { organizationId: ORG, intent: 'SSO', email: 'it@acme.com' } } }, result: { data: { invitePortalAdmin: { __typename: 'PortalInvite', link: 'https://portico.example/portal/launch?token=abc', portalLink: { __typename: 'PortalLink', id: 'portal_link_1' } } } } },
        state([LINK], [ACTION('3', 'domain_verified', 'ada.it@acme.com', 'acme.dev'), ACTION('2', 'test_sign_in_succeeded', 'ada.it@acme.com'), ACTION('1', 'invite_emailed', 'ada@acme.com')]),
      ],
    });
    await screen.findByText('No setup links yet.');
    fireEvent.change(screen.getByLabelText('IT admin’s email (optional)'), { target: { value: 'it@acme.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Invite IT admin' }));
    expect(await screen.findByText('https://portico.example/portal/launch?token=abc')).toBeTruthy();
    expect(screen.getByText(/Emailed to it@acme.com/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy setup link' })).toBeTruthy();
    expect(await screen.findByRole('button', { name: 'Revoke the SSO setup link' })).toBeTruthy();
    expect(screen.getByText(/ada.it@acme.com completed a successful test sign-in/)).toBeTruthy();
    expect(screen.getByText(/ada@acme.com emailed the setup link/)).toBeTruthy();
    expect(screen.getByText('acme.dev').closest('li')!.textContent).toMatch(/^ada.it@acme.com verified a domain by its DNS record: acme.dev \(SSO\)/);
  });

  it('revokes a setup link only after a confirmation that names it, and says so in a toast', async () => {
    const revoked = { ...LINK, status: 'REVOKED' };
    renderScreen(<AdminPortalCard organizationId={ORG} />, {
      mocks: [
        state([LINK], []),
        { request: { query: RevokePortalLinkMutation, variables: { id: LINK.id } }, result: { data: { revokePortalLink: true } } },
        state([revoked], [ACTION('1', 'link_revoked', 'ada@acme.com')]),
      ],
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Revoke the SSO setup link' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Revoke the SSO setup link?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.getByRole('button', { name: 'Revoke the SSO setup link' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Revoke the SSO setup link' }));
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Revoke link' }));
    expect(await screen.findByText('SSO setup link revoked.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Revoke the SSO setup link' })).toBeNull();
  });
});
