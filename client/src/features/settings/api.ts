import { graphql } from '../../gql';

export const UpdateThemeMutation = graphql(`
  mutation UpdateTheme($theme: Theme!) { updateTheme(theme: $theme) { id theme } }
`);

export const UpdateNotificationSettingsMutation = graphql(`
  mutation UpdateNotificationSettings($input: UpdateNotificationSettingsInput!) {
    updateNotificationSettings(input: $input) { id notificationSettings { connectionActivity directoryActivity securityAlerts productUpdates } }
  }
`);
