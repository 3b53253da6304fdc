import { graphql } from '../../gql';

export const OAuthSessionQuery = graphql(`
  query OAuthSessionDetails($id: ID!) {
    oauthSession(id: $id) {
      id provider state timedOut email firstName lastName idpId redirectUri profile oauthExchange
      error errorReason errorMessage errorDetails startedAt authorizedAt succeededAt failedAt createdAt
    }
  }
`);

export const OAuthSessionsQuery = graphql(`
  query OAuthProviderSessions($environmentId: ID!, $provider: String, $first: Int, $after: String) {
    environment(id: $environmentId) {
      id
      oauthSessions(provider: $provider, first: $first, after: $after) {
        totalCount
        edges { node { id provider state timedOut email error errorReason startedAt } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);
