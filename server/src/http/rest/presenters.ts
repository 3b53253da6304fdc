import type { OrganizationDomainEntity, OrganizationEntity } from '../../modules/organizations/organization.entity';
import { VERIFICATION_RECORD_PREFIX } from '../../modules/organizations/organizations.service';
import type { SsoConnectionEntity } from '../../modules/connections/connection.entity';

/** Objects exactly as the WorkOS API returns them (contract §2.5, §3). */

export function presentOrganizationDomain(d: OrganizationDomainEntity) {
  return {
    object: 'organization_domain' as const,
    id: d.id,
    domain: d.domain,
    organization_id: d.organizationId,
    state: d.state,
    verification_strategy: d.verificationStrategy,
    ...(d.verificationToken && d.state !== 'verified' ? { verification_token: d.verificationToken, verification_prefix: VERIFICATION_RECORD_PREFIX } : {}),
    created_at: d.createdAt.toISOString(),
    updated_at: d.updatedAt.toISOString(),
  };
}

export function presentOrganization(org: OrganizationEntity) {
  return {
    object: 'organization' as const,
    id: org.id,
    name: org.name,
    allow_profiles_outside_organization: org.allowProfilesOutsideOrganization,
    domains: (org.domains ?? []).map(presentOrganizationDomain),
    ...(org.stripeCustomerId ? { stripe_customer_id: org.stripeCustomerId } : {}),
    external_id: org.externalId,
    metadata: org.metadata,
    created_at: org.createdAt.toISOString(),
    updated_at: org.updatedAt.toISOString(),
  };
}

export function presentConnection(connection: SsoConnectionEntity, domains: OrganizationDomainEntity[]) {
  return {
    object: 'connection' as const,
    id: connection.id,
    organization_id: connection.organizationId,
    name: connection.name,
    connection_type: connection.connectionType,
    state: connection.state,
    domains: domains.map((d) => ({ object: 'connection_domain' as const, id: d.id, domain: d.domain })),
    created_at: connection.createdAt.toISOString(),
    updated_at: connection.updatedAt.toISOString(),
  };
}
