import { useQuery } from '@apollo/client/react';
import { graphql } from '../../../gql';

export const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      user { id email name theme notificationSettings { connectionActivity directoryActivity securityAlerts productUpdates } }
      workspace { id name supportEmail billingConfigured environments { id kind name clientId locked lockedReason } }
      role
      permissions
      workspaces { role workspace { id name } }
      emailDelivery
    }
  }
`);

export function useViewer() {
  return useQuery(ViewerQuery);
}
