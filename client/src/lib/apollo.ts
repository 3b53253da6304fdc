import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';

/** Same-origin GraphQL with the session cookie; Apollo's JSON POSTs satisfy the server's CSRF prevention. */
export function createApolloClient() {
  return new ApolloClient({
    link: new HttpLink({ uri: '/graphql', credentials: 'same-origin' }),
    cache: new InMemoryCache({
      typePolicies: { Viewer: { keyFields: [] }, NotificationSettings: { merge: true } },
    }),
  });
}
