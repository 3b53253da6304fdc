import { graphql } from '../../gql';

export const OrganizationDirectoriesQuery = graphql(`
  query OrganizationDirectories($id: ID!) { organization(id: $id) { id directories { id name type typeLabel state createdAt } } }
`);

export const CreateDirectoryMutation = graphql(`
  mutation CreateDirectory($input: CreateDirectoryInput!) { createDirectory(input: $input) { token directory { id name scimBaseUrl } } }
`);

export const DirectoryQuery = graphql(`
  query DirectoryDetails($id: ID!) {
    directory(id: $id) {
      id name type typeLabel state scimBaseUrl tokenLastFour tokenRotatedAt createdAt
      organization { id name }
    }
  }
`);

export const DirectoryUsersQuery = graphql(`
  query DirectoryUsers($id: ID!, $search: String, $after: String) {
    directory(id: $id) { id users(first: 50, after: $after, search: $search) { edges { node { id email userName firstName lastName state createdAt } } pageInfo { hasNextPage endCursor } } }
  }
`);

export const DirectoryGroupsQuery = graphql(`
  query DirectoryGroups($id: ID!, $search: String, $after: String) {
    directory(id: $id) { id groups(first: 50, after: $after, search: $search) { edges { node { id name idpId createdAt } } pageInfo { hasNextPage endCursor } } }
  }
`);

export const DirectoryMappingQuery = graphql(`
  query DirectoryMapping($id: ID!) {
    directory(id: $id) { id attributeMappings { path customAttribute { id key label } } rawAttributePaths { path sample users } }
  }
`);

export const ScimLogQuery = graphql(`
  query ScimLog($id: ID!, $after: String) {
    directory(id: $id) { id scimRequests(first: 50, after: $after) { edges { node { id method path status durationMs requestBody responseBody createdAt suppressedCount } } pageInfo { hasNextPage endCursor } } }
  }
`);

export const DirectoryUserQuery = graphql(`
  query DirectoryUserDetails($id: ID!) {
    directoryUser(id: $id) {
      id idpId userName email firstName lastName state customAttributes rawAttributes createdAt updatedAt
      groups { id name }
      directory { id name organization { id name } }
    }
  }
`);

export const RotateDirectoryTokenMutation = graphql(`
  mutation RotateDirectoryToken($id: ID!) { rotateDirectoryToken(id: $id) { token directory { id tokenLastFour tokenRotatedAt state } } }
`);

export const DeleteDirectoryMutation = graphql(`
  mutation DeleteDirectory($id: ID!) { deleteDirectory(id: $id) { id } }
`);

export const MapCustomAttributeMutation = graphql(`
  mutation MapCustomAttribute($directoryId: ID!, $customAttributeId: ID!, $path: String) { mapCustomAttribute(directoryId: $directoryId, customAttributeId: $customAttributeId, path: $path) { id } }
`);

export const DIRECTORY_TYPES = [
  { value: 'okta scim v2.0', label: 'Okta SCIM v2.0' },
  { value: 'azure scim v2.0', label: 'Entra ID (Azure AD) SCIM v2.0' },
  { value: 'onelogin scim v2.0', label: 'OneLogin SCIM v2.0' },
  { value: 'jump cloud scim v2.0', label: 'JumpCloud SCIM v2.0' },
  { value: 'rippling scim v2.0', label: 'Rippling SCIM v2.0' },
  { value: 'pingfederate scim v2.0', label: 'PingFederate SCIM v2.0' },
  { value: 'generic scim v2.0', label: 'Generic SCIM v2.0' },
];
