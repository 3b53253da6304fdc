import 'reflect-metadata';
import { DataSource, MigrationExecutor } from 'typeorm';
import { DashboardSessionEntity } from '../modules/accounts/dashboard-session.entity';
import { EmailMessageEntity } from '../modules/email/email-message.entity';
import { EnvironmentEntity } from '../modules/environments/environment.entity';
import { InvitationEntity } from '../modules/invitations/invitation.entity';
import { MemberEntity } from '../modules/members/member.entity';
import { UserEntity } from '../modules/users/user.entity';
import { WorkspaceEntity } from '../modules/workspace/workspace.entity';
import { QueryMetricsSubscriber } from './query-metrics';
import { Foundation1764100000000 } from './migrations/1764100000000-foundation';
import { ApiKeys1764200000000 } from './migrations/1764200000000-api-keys';
import { ApiKeyEntity } from '../modules/api-keys/api-key.entity';
import { Sso1764300000000 } from './migrations/1764300000000-sso';
import { SessionFilters1764400000000 } from './migrations/1764400000000-session-filters';
import { DirectorySync1764500000000 } from './migrations/1764500000000-directory-sync';
import { CustomAttributeEntity, DirectoryEntity, DirectoryGroupEntity, DirectoryUserEntity, ScimRequestEntity } from '../modules/directories/directory.entity';
import { EventEntity } from '../modules/events/event.entity';
import { Billing1764600000000 } from './migrations/1764600000000-billing';
import { Configuration1764700000000 } from './migrations/1764700000000-configuration';
import { ScimHardening1764800000000 } from './migrations/1764800000000-scim-hardening';
import { AcsHardening1764810000000 } from './migrations/1764810000000-acs-hardening';
import { PendingSignUps1764900000000 } from './migrations/1764900000000-pending-sign-ups';
import { PendingSignUpEntity } from '../modules/sign-ups/pending-sign-up.entity';
import { ApiKeyScopes1764930000000 } from './migrations/1764930000000-api-key-scopes';
import { SamlInterop1764920000000 } from './migrations/1764920000000-saml-interop';
import { ScimInterop1764910000000 } from './migrations/1764910000000-scim-interop';
import { WorkspaceBillingEntity } from '../modules/billing/billing.entity';
import { OrganizationDomainEntity, OrganizationEntity } from '../modules/organizations/organization.entity';
import { RedirectUriEntity } from '../modules/redirect-uris/redirect-uri.entity';
import { SsoConnectionEntity } from '../modules/connections/connection.entity';
import { SsoSessionEntity } from '../modules/sso-sessions/sso-session.entity';
import { installJobQueue } from '../modules/jobs/job-queue';
import { WebhookEndpointEntity } from '../modules/webhooks/webhook-endpoint.entity';
import { WebhookAttemptEntity, WebhookDeliveryEntity } from '../modules/webhooks/webhook-delivery.entity';
import { Webhooks1764950000000 } from './migrations/1764950000000-webhooks';
import { Notifications1764950000001 } from './migrations/1764950000001-notifications';
import { SignUpConfirmAttempts1764990000000 } from './migrations/1764990000000-sign-up-confirm-attempts';
import { TestIdentityProvider1765200000000 } from './migrations/1765200000000-test-identity-provider';
import { TestIdentityProviderEntity } from '../modules/test-idp/test-idp.entity';
import { OverviewSearch1765300000000 } from './migrations/1765300000000-overview-search';
import { AdminPortal1765700000000 } from './migrations/1765700000000-admin-portal';
import { OAuthSignIn1765800000000 } from './migrations/1765800000000-oauth-sign-in';
import { OidcConnections1765900000000 } from './migrations/1765900000000-oidc-connections';
import { SsoResponseCompression1765940000000 } from './migrations/1765940000000-sso-response-compression';

export const ENTITIES = [ApiKeyEntity, UserEntity, WorkspaceEntity, MemberEntity, InvitationEntity, EnvironmentEntity, DashboardSessionEntity, EmailMessageEntity,
  OrganizationEntity, OrganizationDomainEntity, RedirectUriEntity, SsoConnectionEntity, SsoSessionEntity,
  DirectoryEntity, DirectoryUserEntity, DirectoryGroupEntity, CustomAttributeEntity, ScimRequestEntity, EventEntity, WorkspaceBillingEntity, PendingSignUpEntity,
  WebhookEndpointEntity, WebhookDeliveryEntity, WebhookAttemptEntity, TestIdentityProviderEntity];
export const MIGRATIONS = [Foundation1764100000000, ApiKeys1764200000000, Sso1764300000000, SessionFilters1764400000000, DirectorySync1764500000000, Billing1764600000000, Configuration1764700000000, ScimHardening1764800000000, AcsHardening1764810000000, PendingSignUps1764900000000, ScimInterop1764910000000, SamlInterop1764920000000, ApiKeyScopes1764930000000, Webhooks1764950000000, Notifications1764950000001, SignUpConfirmAttempts1764990000000, TestIdentityProvider1765200000000, OverviewSearch1765300000000, AdminPortal1765700000000, OAuthSignIn1765800000000, OidcConnections1765900000000, SsoResponseCompression1765940000000];

export interface ConnectionTarget {
  url?: string;
  host?: string;
  port?: number;
}

/** The one DataSource shape for PostgreSQL and embedded PGlite alike: schema from migrations only. */
export function createDataSource(target: ConnectionTarget, poolSize = 10): DataSource {
  return new DataSource({
    type: 'postgres',
    ...(target.url
      ? { url: target.url }
      : { host: target.host, port: target.port, username: 'postgres', password: 'postgres', database: 'postgres' }),
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'portico_migrations',
    entities: ENTITIES,
    migrations: MIGRATIONS,
    subscribers: [QueryMetricsSubscriber],
    extra: { max: poolSize },
  });
}

/**
 * Runs pending migrations under an advisory lock, so processes starting together migrate once. The
 * migrations run on the lock's own connection: a pool of one must not wait on itself.
 */
/** Applies the pending migrations (one replica at a time) and returns how many ran. */
export async function migrate(dataSource: DataSource): Promise<number> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(7100420001)');
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    const applied = await executor.executePendingMigrations();
    await installJobQueue(runner);
    return applied.length;
  } finally {
    await runner.query('SELECT pg_advisory_unlock(7100420001)').catch(() => undefined);
    await runner.release();
  }
}
