import { graphql } from '../../gql';

export const ApiKeysQuery = graphql(`
  query ApiKeys($environmentId: ID!) {
    environment(id: $environmentId) {
      id
      apiKeys(first: 50) { totalCount edges { node { id name scope maskedValue lastUsedAt createdAt revealable } } }
    }
  }
`);

export const CreateApiKeyMutation = graphql(`
  mutation CreateApiKey($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id name scope maskedValue } } }
`);

export const RevokeApiKeyMutation = graphql(`
  mutation RevokeApiKey($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }
`);

export const RevealApiKeyMutation = graphql(`
  mutation RevealApiKey($id: ID!) { revealApiKey(id: $id) }
`);
