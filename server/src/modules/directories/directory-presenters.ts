import type { DirectoryEntity, DirectoryGroupEntity, DirectoryUserEntity } from './directory.entity';

/** Directory Sync objects exactly as the WorkOS API returns them (contract §4). */

export function presentDirectory(d: DirectoryEntity, domain: string | null) {
  return {
    object: 'directory' as const, id: d.id, domain, external_key: d.id, name: d.name, organization_id: d.organizationId,
    state: d.state, type: d.type, created_at: d.createdAt.toISOString(), updated_at: d.updatedAt.toISOString(),
  };
}

export function presentDirectoryGroup(g: DirectoryGroupEntity) {
  return {
    object: 'directory_group' as const, id: g.id, idp_id: g.idpId, directory_id: g.directoryId, organization_id: g.organizationId, name: g.name,
    created_at: g.createdAt.toISOString(), updated_at: g.updatedAt.toISOString(), raw_attributes: g.rawAttributes,
  };
}

export function presentDirectoryUser(u: DirectoryUserEntity, groups: DirectoryGroupEntity[]) {
  const raw = u.rawAttributes;
  return {
    object: 'directory_user' as const, id: u.id, idp_id: u.idpId, directory_id: u.directoryId, organization_id: u.organizationId,
    first_name: u.firstName, last_name: u.lastName, email: u.email, username: u.userName,
    emails: Array.isArray(raw.emails) ? raw.emails : [], job_title: typeof raw.title === 'string' ? raw.title : null,
    state: u.state, custom_attributes: u.customAttributes, raw_attributes: raw,
    groups: groups.map(presentDirectoryGroup),
    created_at: u.createdAt.toISOString(), updated_at: u.updatedAt.toISOString(),
  };
}

/** Events carry the directory as `active` / `inactive` (contract §4, §5.2). */
export function directoryForEvents(d: DirectoryEntity) {
  return { object: 'directory' as const, id: d.id, type: d.type, state: d.state === 'linked' ? 'active' : 'inactive', name: d.name, organization_id: d.organizationId, created_at: d.createdAt.toISOString(), updated_at: d.updatedAt.toISOString() };
}
