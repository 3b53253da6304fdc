import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import { UserEntity } from '../modules/users/user.entity';
import { WorkspaceEntity } from '../modules/workspace/workspace.entity';
import { EnvironmentEntity } from '../modules/environments/environment.entity';
import { MemberEntity } from '../modules/members/member.entity';
import { OrganizationDomainEntity, OrganizationEntity } from '../modules/organizations/organization.entity';
import { SsoConnectionEntity } from '../modules/connections/connection.entity';
import { SsoSessionEntity } from '../modules/sso-sessions/sso-session.entity';
import { detailOf, type SessionDetail } from '../modules/sso-sessions/sso-session.type';
import { WorkspaceBillingEntity } from '../modules/billing/billing.entity';
import type { DirectoryGroupEntity } from '../modules/directories/directory.entity';
import { groupsOfUsers } from '../modules/directories/directories.service';

function byId<T extends { id: string }>(db: DataSource, entity: new () => T) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await db.getRepository(entity).findBy({ id: In([...ids]) } as never);
    const map = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

function groupedBy<T>(load: (keys: string[]) => Promise<T[]>, key: (row: T) => string) {
  return new DataLoader<string, T[]>(async (keys) => {
    const rows = await load([...keys]);
    return keys.map((k) => rows.filter((row) => key(row) === k));
  });
}

/** Per-request batching: a list of 100 members loads its users in one query. */
export function createLoaders(db: DataSource) {
  return {
    user: byId(db, UserEntity),
    workspace: byId(db, WorkspaceEntity),
    environment: byId(db, EnvironmentEntity),
    /** Every seat of a user, so a field resolver can check the role in its parent's workspace (one query per request). */
    userMemberships: groupedBy((ids) => db.getRepository(MemberEntity).findBy({ userId: In(ids) }), (m) => m.userId),
    organization: byId(db, OrganizationEntity),
    connection: byId(db, SsoConnectionEntity),
    /** A workspace's billing, or null before an Admin sets it up (the Viewer query asks once per environment). */
    workspaceBilling: new DataLoader<string, WorkspaceBillingEntity | null>(async (ids) => {
      const rows = await db.getRepository(WorkspaceBillingEntity).findBy({ workspaceId: In([...ids]) });
      return ids.map((id) => rows.find((row) => row.workspaceId === id) ?? null);
    }),
    /** An organization's domains, oldest first. */
    organizationDomains: groupedBy(
      (ids) => db.getRepository(OrganizationDomainEntity).find({ where: { organizationId: In(ids) }, order: { id: 'ASC' } }),
      (d) => d.organizationId,
    ),
    /** An organization's connections, oldest first. */
    organizationConnections: groupedBy(
      (ids) => db.getRepository(SsoConnectionEntity).find({ where: { organizationId: In(ids) }, order: { id: 'ASC' } }),
      (c) => c.organizationId,
    ),
    /** A directory user's groups (one query for a whole page of users). */
    directoryUserGroups: new DataLoader<string, DirectoryGroupEntity[]>(async (ids) => {
      const groups = await groupsOfUsers(db, [...ids]);
      return ids.map((id) => groups.get(id) ?? []);
    }),
    /** The detail columns of sessions a list read without them (one query for every row a page asks about). */
    sessionDetail: new DataLoader<string, SessionDetail | null>(async (ids) => {
      const rows = await db.getRepository(SsoSessionEntity).find({
        where: { id: In([...ids]) },
        select: ['id', 'errorDetails', 'samlRequest', 'samlResponse', 'samlResponseBytes', 'samlResponseTruncated', 'redirectUri', 'decryptedAssertion', 'profile', 'oauthExchange'],
      });
      const map = new Map(rows.map((row) => [row.id, detailOf(row)]));
      return ids.map((id) => map.get(id) ?? null);
    }),
    /** A connection's newest session (one query for a whole page of connections). */
    latestSession: new DataLoader<string, SsoSessionEntity | null>(async (ids) => {
      const rows = await db.getRepository(SsoSessionEntity).createQueryBuilder('s')
        .distinctOn(['s.connection_id']).where('s.connection_id IN (:...ids)', { ids: [...ids] })
        .orderBy('s.connection_id').addOrderBy('s.id', 'DESC').getMany();
      return ids.map((id) => rows.find((r) => r.connectionId === id) ?? null);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
