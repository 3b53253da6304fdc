import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import './enums';
import { AccountsResolver } from '../modules/accounts/accounts.resolver';
import { SignUpsResolver } from '../modules/sign-ups/sign-ups.resolver';
import { ApiKeysResolver } from '../modules/api-keys/api-keys.resolver';
import { EnvironmentsResolver } from '../modules/environments/environments.resolver';
import { OutboxResolver } from '../modules/email/outbox.resolver';
import { InvitationsResolver } from '../modules/invitations/invitations.resolver';
import { MembersResolver } from '../modules/members/members.resolver';
import { UsersResolver } from '../modules/users/users.resolver';
import { WorkspaceResolver } from '../modules/workspace/workspace.resolver';
import { EnvironmentOrganizationsResolver, OrganizationsResolver } from '../modules/organizations/organizations.resolver';
import { ConnectionsResolver, OrganizationConnectionsResolver } from '../modules/connections/connections.resolver';
import { EnvironmentWebhooksResolver, WebhooksResolver } from '../modules/webhooks/webhooks.resolver';
import { RedirectUrisResolver } from '../modules/redirect-uris/redirect-uris.resolver';
import { ConnectionSessionsResolver, SessionsResolver } from '../modules/sso-sessions/sessions.resolver';
import { EnvironmentOAuthSessionsResolver, OAuthSessionsResolver } from '../modules/sso-sessions/oauth-sessions.resolver';
import { BillingResolver, EnvironmentLockResolver } from '../modules/billing/billing.resolver';
import { ComplianceResolver } from '../modules/compliance/compliance';
import { ConfigurationResolver } from '../modules/configuration/configuration.resolver';
import { EnvironmentOverviewResolver } from '../modules/overview/overview.resolver';
import { EnvironmentSearchResolver } from '../modules/search/search.resolver';
import { AdminPortalResolver } from '../modules/admin-portal/admin-portal.resolver';
import { TestIdentityProviderResolver } from '../modules/test-idp/test-idp.resolver';
import { DirectoriesResolver, DirectoryUsersResolver, EnvironmentCustomAttributesResolver, OrganizationDirectoriesResolver } from '../modules/directories/directories.resolver';

let schema: GraphQLSchema | undefined;

/** The executable schema, built once per process from the resolvers. */
export function getSchema(): GraphQLSchema {
  schema ??= buildSchemaSync({
    resolvers: [AccountsResolver, SignUpsResolver, UsersResolver, WorkspaceResolver, MembersResolver, InvitationsResolver, OutboxResolver, EnvironmentsResolver, ApiKeysResolver,
      EnvironmentOrganizationsResolver, OrganizationsResolver, OrganizationConnectionsResolver, ConnectionsResolver, RedirectUrisResolver,
      ConnectionSessionsResolver, SessionsResolver, EnvironmentOAuthSessionsResolver, OAuthSessionsResolver,
      OrganizationDirectoriesResolver, EnvironmentCustomAttributesResolver, DirectoriesResolver, DirectoryUsersResolver,
      BillingResolver, EnvironmentLockResolver, ComplianceResolver, ConfigurationResolver, EnvironmentWebhooksResolver, WebhooksResolver,
      EnvironmentOverviewResolver, EnvironmentSearchResolver, AdminPortalResolver,
      TestIdentityProviderResolver],
    validate: { forbidUnknownValues: false },
  });
  return schema;
}

/** The SDL committed as server/schema.graphql: sorted, so a diff shows only real changes. */
export function printPorticoSchema(): string {
  return `${printSchema(lexicographicSortSchema(getSchema()))}\n`;
}
