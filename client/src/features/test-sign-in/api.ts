import { graphql } from '../../gql';

export const StartTestSignInMutation = graphql(`
  mutation StartTestSignIn($connectionId: ID!) { startTestSignIn(connectionId: $connectionId) { sessionId url } }
`);

export const TestIdentityProviderQuery = graphql(`
  query TestIdentityProvider($id: ID) {
    environment(id: $id) { id testIdentityProvider { available setUp enabled organizationId connectionId metadataUrl loginUrl } }
  }
`);

export const SetTestIdentityProviderEnabledMutation = graphql(`
  mutation SetTestIdentityProviderEnabled($environmentId: ID!, $enabled: Boolean!) {
    setTestIdentityProviderEnabled(environmentId: $environmentId, enabled: $enabled) { available setUp enabled organizationId connectionId metadataUrl loginUrl }
  }
`);
