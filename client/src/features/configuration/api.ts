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
