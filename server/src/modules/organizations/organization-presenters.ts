import type { OrganizationDomainEntity, OrganizationEntity } from './organization.entity';
import { VERIFICATION_RECORD_PREFIX } from './organizations.service';

/** Objects exactly as the WorkOS API returns them (contract §3); the REST API and events both use them. */

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
