import { graphql } from '../../gql';

export const OrganizationsQuery = graphql(`
  query Organizations($environmentId: ID!, $search: String, $after: String) {
    environment(id: $environmentId) {
      id
      organizations(first: 25, after: $after, search: $search) {
        edges { node { id name createdAt domains { id domain } ssoConnections { id state connectionType } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

export const OrganizationQuery = graphql(`
  query Organization($id: ID!) {
    organization(id: $id) {
      id name externalId allowProfilesOutsideOrganization createdAt
      domains { id domain state verificationStrategy }
      ssoConnections { id name connectionType state createdAt latestSession { id state createdAt: startedAt } }
    }
  }
`);

export const CreateOrganizationMutation = graphql(`
  mutation CreateOrganization($input: CreateOrganizationInput!) { createOrganization(input: $input) { id name } }
`);

export const UpdateOrganizationMutation = graphql(`
  mutation UpdateOrganization($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { id name externalId allowProfilesOutsideOrganization } }
`);

export const DeleteOrganizationMutation = graphql(`
  mutation DeleteOrganization($id: ID!) { deleteOrganization(id: $id) { id } }
`);

export const AddDomainMutation = graphql(`
  mutation AddOrganizationDomain($organizationId: ID!, $domain: String!) { addOrganizationDomain(organizationId: $organizationId, domain: $domain) { id domain state } }
`);

export const RemoveDomainMutation = graphql(`
  mutation RemoveOrganizationDomain($id: ID!) { removeOrganizationDomain(id: $id) { id } }
`);
