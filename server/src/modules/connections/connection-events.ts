import type { DataSource, EntityManager } from 'typeorm';
import type { NewEvent } from '../events/events.service';
import { OrganizationDomainEntity } from '../organizations/organization.entity';
import { presentConnection } from './connection-presenter';
import type { SsoConnectionEntity } from './connection.entity';

/** A connection event with the connection as the REST API shows it (with its organization's domains). */
export async function connectionEvent(db: DataSource | EntityManager, connection: SsoConnectionEntity, event: string): Promise<NewEvent> {
  const domains = await db.getRepository(OrganizationDomainEntity).find({ where: { organizationId: connection.organizationId }, order: { id: 'ASC' } });
  return { environmentId: connection.environmentId, organizationId: connection.organizationId, event, data: presentConnection(connection, domains) };
}
