import type { OrganizationDomainEntity } from '../organizations/organization.entity';
import type { SsoConnectionEntity } from './connection.entity';

/** A connection exactly as the WorkOS API returns it (contract §2.5); the REST API and events both use it. */
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
