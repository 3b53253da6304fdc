import { fireEvent, screen } from '@testing-library/react';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { renderScreen } from '../../test/render-screen';
import { ChangeMemberRoleMutation, ResendInvitationMutation, TeamQuery } from './api';
import { TeamPage } from './team-page';

const user = (id: string, name: string, email: string) => ({ __typename: 'User', id, name, email });
const team = {
  request: { query: TeamQuery },
  result: { data: { viewer: { __typename: 'Viewer', workspace: {
    __typename: 'Workspace', id: 'workspace_1', name: 'Acme', supportEmail: null,
    members: { __typename: 'MemberConnection', totalCount: 2, pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null }, edges: [
      { __typename: 'MemberEdge', node: { __typename: 'Member', id: 'member_1', role: 'ADMIN', isViewer: true, createdAt: '2026-11-01T00:00:00.000Z', user: user('user_1', 'Ada Lovelace', 'ada@acme.com') } },
      { __typename: 'MemberEdge', node: { __typename: 'Member', id: 'member_2', role: 'DEVELOPER', isViewer: false, createdAt: '2026-11-01T00:00:00.000Z', user: user('user_2', 'Charles Babbage', 'charles@acme.com') } },
    ] },
    invitations: { __typename: 'InvitationConnection', totalCount: 1, edges: [
      { __typename: 'InvitationEdge', node: { __typename: 'Invitation', id: 'invitation_1', email: 'grace@acme.com', role: 'SUPPORT', status: 'PENDING', expiresAt: '2026-12-08T00:00:00.000Z', lastSentAt: '2026-12-01T00:00:00.000Z', sendCount: 1, invitedBy: user('user_1', 'Ada Lovelace', 'ada@acme.com') } },
    ] },
  } } } },
};

describe('Team page', () => {
  it('replaces a failed action’s banner with the next action’s success notice, never both at once', async () => {
    const refused = new GraphQLError('A workspace keeps at least one Admin', { extensions: { code: 'CONFLICT' } });
    renderScreen(<TeamPage />, {
      mocks: [
        team,
        { request: { query: ChangeMemberRoleMutation, variables: { memberId: 'member_2', role: 'SUPPORT' } }, result: { errors: [refused] } },
        { request: { query: ResendInvitationMutation, variables: { id: 'invitation_1' } }, result: { data: { resendInvitation: { __typename: 'Invitation', id: 'invitation_1', status: 'PENDING', expiresAt: '2026-12-08T00:00:00.000Z', lastSentAt: '2026-12-01T00:00:00.000Z', sendCount: 2 } } } },
      ],
    });
    fireEvent.change(await screen.findByLabelText('Role of Charles Babbage'), { target: { value: 'SUPPORT' } });
    expect(await screen.findByText('A workspace keeps at least one Admin')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Resend' }));
    expect(await screen.findByText('A new invitation was sent to grace@acme.com.')).toBeTruthy();
    expect(screen.queryByText('A workspace keeps at least one Admin')).toBeNull();
  });
});
