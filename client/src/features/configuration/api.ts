import { graphql } from '../../gql';

export const CustomAttributesQuery = graphql(`
  query CustomAttributes($environmentId: ID!) { environment(id: $environmentId) { id customAttributes { id key label type createdAt } } }
`);

export const CreateCustomAttributeMutation = graphql(`
  mutation CreateCustomAttribute($input: CreateCustomAttributeInput!) { createCustomAttribute(input: $input) { id key label type } }
`);

export const UpdateCustomAttributeMutation = graphql(`
  mutation UpdateCustomAttribute($input: UpdateCustomAttributeInput!) { updateCustomAttribute(input: $input) { id key label } }
`);

export const DeleteCustomAttributeMutation = graphql(`
  mutation DeleteCustomAttribute($id: ID!) { deleteCustomAttribute(id: $id) { id } }
`);

export const OAuthProvidersQuery = graphql(`
  query OAuthProviders($environmentId: ID!) {
    environment(id: $environmentId) { id oauthProviders { provider enabled clientId clientSecretSet appleTeamId appleKeyId applePrivateKeySet microsoftTenant redirectUri } }
  }
`);

export const UpdateOAuthProviderMutation = graphql(`
  mutation UpdateOAuthProvider($input: UpdateOAuthProviderInput!) {
    updateOAuthProvider(input: $input) { provider enabled clientId clientSecretSet appleTeamId appleKeyId applePrivateKeySet microsoftTenant redirectUri }
  }
`);

export const AdminPortalQuery = graphql(`
  query AdminPortalSettings($environmentId: ID!) { environment(id: $environmentId) { id adminPortal { redirectUrl displayName logoUrl brandColor } } }
`);

export const UpdateAdminPortalMutation = graphql(`
  mutation UpdateAdminPortal($input: UpdateAdminPortalInput!) { updateAdminPortalSettings(input: $input) { redirectUrl displayName logoUrl brandColor } }
`);
