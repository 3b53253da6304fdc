import { graphql } from '../../../gql';

export const SignInMutation = graphql(`
  mutation SignIn($input: SignInInput!) { signIn(input: $input) { user { id theme } } }
`);

export const SignUpMutation = graphql(`
  mutation SignUp($input: SignUpInput!) { signUp(input: $input) { email linkValidForHours } }
`);

export const ConfirmSignUpMutation = graphql(`
  mutation ConfirmSignUp($token: String!, $password: String!) { confirmSignUp(token: $token, password: $password) { user { id theme } } }
`);

export const SignOutMutation = graphql(`
  mutation SignOut { signOut }
`);

export const SwitchWorkspaceMutation = graphql(`
  mutation SwitchWorkspace($workspaceId: ID!) { switchWorkspace(workspaceId: $workspaceId) { workspace { id } } }
`);

export const InvitationPreviewQuery = graphql(`
  query InvitationPreview($token: String!) {
    invitationPreview(token: $token) { email role status workspaceName invitedByName expiresAt accountExists }
  }
`);

export const AcceptInvitationMutation = graphql(`
  mutation AcceptInvitation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { workspace { id name } } }
`);
