import { graphql } from '../../gql';

export const WebhookEndpointsQuery = graphql(`
  query WebhookEndpoints($environmentId: ID!) { environment(id: $environmentId) { id webhookEndpoints { id endpointUrl status events failingSince createdAt } } }
`);

export const WebhookDeliveriesQuery = graphql(`
  query WebhookDeliveries($id: ID!) {
    webhookEndpoint(id: $id) {
      id endpointUrl status events failingSince createdAt
      deliveries(first: 50) { id eventId eventName status createdAt attempts { id attemptedAt durationMs responseStatus responseBody error succeeded } }
    }
  }
`);

export const CreateWebhookEndpointMutation = graphql(`
  mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id } } }
`);

export const UpdateWebhookEndpointMutation = graphql(`
  mutation UpdateWebhookEndpoint($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) { id status events endpointUrl failingSince } }
`);

export const RotateWebhookSecretMutation = graphql(`
  mutation RotateWebhookSecret($id: ID!) { rotateWebhookEndpointSecret(id: $id) { secret endpoint { id } } }
`);

export const DeleteWebhookEndpointMutation = graphql(`
  mutation DeleteWebhookEndpoint($id: ID!) { deleteWebhookEndpoint(id: $id) { id } }
`);

export const ResendWebhookEventMutation = graphql(`
  mutation ResendWebhookEvent($endpointId: ID!, $eventId: ID!) { resendWebhookEvent(endpointId: $endpointId, eventId: $eventId) }
`);

export const SendTestWebhookEventMutation = graphql(`
  mutation SendTestWebhookEvent($endpointId: ID!) { sendTestWebhookEvent(endpointId: $endpointId) }
`);
