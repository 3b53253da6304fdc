import { graphql } from '../../gql';

export const EnvironmentOverviewQuery = graphql(`
  query EnvironmentOverview($environmentId: ID!) {
    environment(id: $environmentId) {
      id
      overview {
        checklist { apiKeyCreated redirectUriAdded organizationCreated connectionActive signInSucceeded directorySynced }
        signIns24h { attempts succeeded failed failureRate }
        signIns7d { attempts succeeded failed failureRate }
        topErrors { error count connectionId connectionName organizationName latestSessionId }
        connectionsByState { draft validating active inactive }
        connectionsNeedingAttention { id name state organizationName }
        directoryCount
        directories { id name type state organizationName lastRequestAt lastRequestStatus }
        expiringCertificates { connectionId connectionName organizationName notAfter expired }
        generatedAt
      }
    }
  }
`);
