import type { DataSource, EntityManager } from 'typeorm';
import type { AppDeps } from '../../context';
import { NotFoundError, ValidationError } from '../../errors';
import { isOwnKey } from '../../lib/own-keys';
import type { AccessScope } from '../environments/access-scope';
import type { DirectoryEntity } from '../directories/directory.entity';
import {
  createDirectory, directoriesQuery, directoryGroupsQuery, directoryUsersQuery, groupsOfUsers, listCustomAttributes, mapCustomAttribute,
  rawAttributePaths, rotateDirectoryToken, scimBaseUrl,
} from '../directories/directories.service';
import { recordPortalAction } from './portal-actions.service';
import type { PortalPrincipal } from './portal-links.service';
import { requireIntent } from './portal-sso.service';

/**
 * The Admin Portal's Directory Sync intent: the IT admin picks a provider, gets the organization's SCIM endpoint and a
 * bearer token (shown once, rotatable), follows that provider's steps, and watches users and groups arrive.
 * One directory per organization through the portal: reopening the portal shows the one that exists.
 */

/** The providers the portal has written steps for, the WorkOS directory type each becomes, and its display name. */
export const PORTAL_DIRECTORY_PROVIDERS = {
  okta: { type: 'okta scim v2.0', name: 'Okta' },
  entra: { type: 'azure scim v2.0', name: 'Microsoft Entra ID' },
  google: { type: 'generic scim v2.0', name: 'Google Workspace' },
  onelogin: { type: 'onelogin scim v2.0', name: 'OneLogin' },
  jumpcloud: { type: 'jump cloud scim v2.0', name: 'JumpCloud' },
  generic: { type: 'generic scim v2.0', name: 'SCIM 2.0' },
} as const;
export type PortalDirectoryProvider = keyof typeof PORTAL_DIRECTORY_PROVIDERS;

/** How many of the newest users and groups the live view shows. */
const LATEST = 10;

/** The portal acts inside its link's environment; every lookup below is also pinned to the link's organization. */
const scopeOf = (p: PortalPrincipal): AccessScope => ({ kind: 'environment', environmentId: p.environmentId });
const actor = (p: PortalPrincipal) => p.adminEmails[0] ?? null;

/** The organization's newest directory: the one the portal sets up (or shows again). */
async function portalDirectory(db: DataSource | EntityManager, p: PortalPrincipal): Promise<DirectoryEntity | null> {
  // tenancy: environment from the scope, organization from the portal session, never an ID from the request
  return directoriesQuery(db, scopeOf(p), { organizationId: p.organizationId }).orderBy('dir.created_at', 'DESC').addOrderBy('dir.id', 'DESC').getOne();
}

/** Which provider's steps to show: the one picked in the portal (google and generic share a type), else from the type. */
async function providerOf(db: DataSource | EntityManager, p: PortalPrincipal, d: DirectoryEntity): Promise<PortalDirectoryProvider> {
  const [picked] = (await db.query(
    `SELECT detail->>'provider' AS provider FROM portal_actions
      WHERE organization_id = $1 AND action IN ('directory_created', 'directory_provider_changed') AND detail->>'directoryId' = $2
      ORDER BY created_at DESC, id DESC LIMIT 1`,
    [p.organizationId, d.id],
  )) as { provider: string | null }[];
  const recorded = picked?.provider;
  if (recorded && isOwnKey(PORTAL_DIRECTORY_PROVIDERS, recorded) && PORTAL_DIRECTORY_PROVIDERS[recorded].type === d.type) return recorded;
  return (Object.entries(PORTAL_DIRECTORY_PROVIDERS).find(([, v]) => v.type === d.type)?.[0] ?? 'generic') as PortalDirectoryProvider;
}

async function counts(db: DataSource | EntityManager, directoryId: string) {
  const [row] = (await db.query(
    `SELECT (SELECT count(*)::int FROM directory_users WHERE directory_id = $1 AND deleted_at IS NULL) AS users,
            (SELECT count(*)::int FROM directory_users WHERE directory_id = $1 AND deleted_at IS NULL AND state = 'active') AS active_users,
            (SELECT count(*)::int FROM directory_groups WHERE directory_id = $1) AS groups`,
    [directoryId],
  )) as { users: number; active_users: number; groups: number }[];
  return { users: row?.users ?? 0, activeUsers: row?.active_users ?? 0, groups: row?.groups ?? 0 };
}

/**
 * What the Directory Sync page shows, polled while the IdP provisions: the SCIM endpoint (never the token: only
 * `token` right after creating or rotating it), the counts, the newest users with their state and groups, the
 * newest groups, and the environment's custom attributes with where each comes from in this directory's data.
 */
export async function presentDsyncSetup(deps: AppDeps, p: PortalPrincipal, token?: string) {
  requireIntent(p, 'dsync');
  const d = await portalDirectory(deps.db, p);
  if (!d) return { directory: null };
  const scope = scopeOf(p);
  const users = await directoryUsersQuery(deps.db, scope, { directoryId: d.id }).andWhere('du.deleted_at IS NULL')
    .orderBy('du.created_at', 'DESC').addOrderBy('du.id', 'DESC').take(LATEST).getMany();
  const groupsByUser = await groupsOfUsers(deps.db, users.map((u) => u.id));
  const groups = await directoryGroupsQuery(deps.db, scope, { directoryId: d.id }).orderBy('dg.created_at', 'DESC').addOrderBy('dg.id', 'DESC').take(LATEST).getMany();
  const members = groups.length
    ? new Map(((await deps.db.query('SELECT m.group_id, count(*)::int AS n FROM directory_group_members m JOIN directory_users u ON u.id = m.user_id WHERE m.group_id = ANY($1) AND u.deleted_at IS NULL GROUP BY m.group_id', [groups.map((g) => g.id)])) as { group_id: string; n: number }[]).map((r) => [r.group_id, r.n]))
    : new Map<string, number>();
  const attributes = await listCustomAttributes(deps.db, d.environmentId);
  const provider = await providerOf(deps.db, p, d);
  const c = await counts(deps.db, d.id);
  return {
    directory: {
      id: d.id, name: d.name, provider, type: d.type, state: d.state,
      scimBaseUrl: scimBaseUrl(deps.config.publicUrl, d.id), tokenLastFour: d.tokenLastFour, tokenRotatedAt: d.tokenRotatedAt.toISOString(), createdAt: d.createdAt.toISOString(),
      providerLocked: providerLocked(d, c),
    },
    ...(token ? { token } : {}),
    counts: c,
    users: users.map((u) => ({
      id: u.id, userName: u.userName, email: u.email, firstName: u.firstName, lastName: u.lastName, state: u.state, createdAt: u.createdAt.toISOString(),
      groups: (groupsByUser.get(u.id) ?? []).map((g) => g.name),
    })),
    groups: groups.map((g) => ({ id: g.id, name: g.name, members: members.get(g.id) ?? 0, createdAt: g.createdAt.toISOString() })),
    customAttributes: attributes.map((a) => ({ id: a.id, key: a.key, label: a.label, type: a.type, path: d.customAttributeMappings[a.id] ?? null })),
    rawAttributePaths: attributes.length ? await rawAttributePaths(deps.db, scope, d.id) : [],
  };
}

/** A provider can be switched until it has connected or sent data: after that, the directory's data came from it. */
const providerLocked = (d: DirectoryEntity, c: { users: number; groups: number }) => d.state === 'linked' || c.users + c.groups > 0;

const checkProvider = (provider: unknown): PortalDirectoryProvider => {
  if (typeof provider !== 'string' || !isOwnKey(PORTAL_DIRECTORY_PROVIDERS, provider)) {
    throw ValidationError.field('provider', 'invalid_provider', `Choose one of the listed directory providers (${Object.keys(PORTAL_DIRECTORY_PROVIDERS).join(', ')}).`);
  }
  return provider;
};

/**
 * Picks the provider: creates the organization's directory and its token the first time (the token is in this
 * answer only), or switches the provider while nothing has arrived yet (the token stays the same). Two tabs picking
 * at once create one directory: the organization's row is locked for the check and the insert.
 */
export async function chooseDirectoryProvider(deps: AppDeps, p: PortalPrincipal, input: unknown) {
  requireIntent(p, 'dsync');
  const provider = checkProvider(input);
  const { type, name } = PORTAL_DIRECTORY_PROVIDERS[provider];
  const token = await deps.db.transaction(async (m) => {
    const [org] = (await m.query('SELECT id, name FROM organizations WHERE id = $1 AND environment_id = $2 FOR UPDATE', [p.organizationId, p.environmentId])) as { id: string; name: string }[];
    if (!org) throw new NotFoundError('Organization');
    const current = await portalDirectory(m, p);
    if (!current) {
      const created = await createDirectory(m, scopeOf(p), p.organizationId, { type, name: `${org.name} ${name}` });
      await recordPortalAction(m, { organizationId: p.organizationId, linkId: p.linkId, intent: p.intent, action: 'directory_created', actor: actor(p), detail: { directoryId: created.directory.id, provider, type } });
      return created.token;
    }
    // Every read here on the transaction's connection: a second one from the pool, while requests queue on the lock, could wait forever.
    const currentProvider = await providerOf(m, p, current);
    if (currentProvider === provider) return undefined;
    if (providerLocked(current, await counts(m, current.id))) {
      throw ValidationError.field('provider', 'provider_locked', `${PORTAL_DIRECTORY_PROVIDERS[currentProvider].name} is already connected to this directory. To switch providers, ask the application team.`);
    }
    await m.query('UPDATE directories SET type = $2, name = $3, updated_at = now() WHERE id = $1', [current.id, type, `${org.name} ${name}`]);
    await recordPortalAction(m, { organizationId: p.organizationId, linkId: p.linkId, intent: p.intent, action: 'directory_provider_changed', actor: actor(p), detail: { directoryId: current.id, provider, type } });
    return undefined;
  });
  return presentDsyncSetup(deps, p, token);
}

/** A new bearer token, in this answer only; the one before stops working at once. */
export async function rotatePortalDirectoryToken(deps: AppDeps, p: PortalPrincipal) {
  requireIntent(p, 'dsync');
  const token = await deps.db.transaction(async (m) => {
    const current = await portalDirectory(m, p);
    if (!current) throw ValidationError.field('provider', 'choose_provider_first', 'Choose your directory provider first.');
    const rotated = await rotateDirectoryToken(m, scopeOf(p), current.id);
    await recordPortalAction(m, { organizationId: p.organizationId, linkId: p.linkId, intent: p.intent, action: 'directory_token_rotated', actor: actor(p), detail: { directoryId: current.id, tokenLastFour: rotated.directory.tokenLastFour } });
    return rotated.token;
  });
  return presentDsyncSetup(deps, p, token);
}

/** Maps (or unmaps, with null) one of the environment's custom attributes to a path of this directory's users' data. */
export async function mapPortalCustomAttribute(deps: AppDeps, p: PortalPrincipal, customAttributeId: string, path: unknown) {
  requireIntent(p, 'dsync');
  const current = await portalDirectory(deps.db, p);
  if (!current) throw ValidationError.field('provider', 'choose_provider_first', 'Choose your directory provider first.');
  if (path !== null && (typeof path !== 'string' || !path || path.length > 500)) {
    throw ValidationError.field('path', 'invalid_path', 'Choose one of the attributes your provider sent, or “Not mapped”.');
  }
  // The attribute must be one of this environment's (mapCustomAttribute answers NotFound otherwise), and the path one the users carry.
  await mapCustomAttribute(deps.db, scopeOf(p), current.id, customAttributeId, path);
  await recordPortalAction(deps.db, { organizationId: p.organizationId, linkId: p.linkId, intent: p.intent, action: 'attribute_mapped', actor: actor(p), detail: { directoryId: current.id, customAttributeId, path } });
  return presentDsyncSetup(deps, p);
}

/** Directory Sync is set up once the provider has provisioned its first user into the organization's directory. */
export async function requireDirectoryProvisioned(deps: AppDeps, p: PortalPrincipal): Promise<{ directoryId: string; users: number; groups: number }> {
  const current = await portalDirectory(deps.db, p);
  if (!current) throw ValidationError.field('provider', 'choose_provider_first', 'Choose your directory provider first.');
  const c = await counts(deps.db, current.id);
  if (current.state !== 'linked' || c.users === 0) {
    throw ValidationError.field('directory', 'no_users_yet', 'No users have arrived yet. Assign people to the app in your provider and start provisioning; they appear here within a few seconds of your provider sending them.');
  }
  return { directoryId: current.id, users: c.users, groups: c.groups };
}
