import { graphql } from '../../gql';

export const RedirectUrisQuery = graphql(`
  query RedirectUris($environmentId: ID!) { environment(id: $environmentId) { id redirectUris { id uri isDefault createdAt } } }
`);

export const AddRedirectUriMutation = graphql(`
  mutation AddRedirectUri($input: AddRedirectUriInput!) { addRedirectUri(input: $input) { id uri isDefault } }
`);

export const SetDefaultRedirectUriMutation = graphql(`
  mutation SetDefaultRedirectUri($id: ID!) { setDefaultRedirectUri(id: $id) { id isDefault } }
`);

export const RemoveRedirectUriMutation = graphql(`
  mutation RemoveRedirectUri($id: ID!) { removeRedirectUri(id: $id) { id } }
`);
