import { graphql } from '../../gql';

export const TeamQuery = graphql(`
  query Team($membersAfter: String) {
    viewer {
      workspace {
        id
        name
        supportEmail
        members(first: 50, after: $membersAfter) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges { node { id role isViewer createdAt user { id name email } } }
        }
        invitations(first: 50, pendingOnly: true) {
          totalCount
          edges { node { id email role status expiresAt lastSentAt sendCount invitedBy { id name } } }
        }
      }
    }
  }
`);

export const UpdateTeamDetailsMutation = graphql(`
  mutation UpdateTeamDetails($input: UpdateTeamDetailsInput!) { updateTeamDetails(input: $input) { id name supportEmail } }
`);

export const InviteMemberMutation = graphql(`
  mutation InviteMember($input: InviteMemberInput!) { inviteMember(input: $input) { id email role status } }
`);

export const ResendInvitationMutation = graphql(`
  mutation ResendInvitation($id: ID!) { resendInvitation(id: $id) { id status expiresAt lastSentAt sendCount } }
`);

export const RevokeInvitationMutation = graphql(`
  mutation RevokeInvitation($id: ID!) { revokeInvitation(id: $id) { id status } }
`);

export const ChangeMemberRoleMutation = graphql(`
  mutation ChangeMemberRole($memberId: ID!, $role: Role!) { changeMemberRole(memberId: $memberId, role: $role) { id role } }
`);

export const RemoveMemberMutation = graphql(`
  mutation RemoveMember($memberId: ID!) { removeMember(memberId: $memberId) }
`);
