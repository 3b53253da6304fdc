import { ForbiddenError } from '../../errors';
import type { Permission } from '../workspace/permissions';

/**
 * What an API key may do in its own environment (never another environment or workspace: scopeOf pins every key
 * to its environment). No scope reaches billing, the team, members, invitations, the outbox or API keys
 * themselves: those are done by a person in the dashboard.
 *
 * Keys created before scopes existed are SSO_ADMIN (the migration's default), which keeps everything they could
 * do over GraphQL (organizations, connections, directories) and adds redirect URIs; REST is unchanged for them.
 * A scope means the same over REST (http/rest/rest-router.ts asks each resource family's permission).
 */
export const API_KEY_SCOPES = ['READ_ONLY', 'SSO_ADMIN', 'FULL_ENVIRONMENT'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
export const DEFAULT_API_KEY_SCOPE: ApiKeyScope = 'SSO_ADMIN';

export const API_KEY_SCOPE_DESCRIPTIONS: Record<ApiKeyScope, string> = {
  READ_ONLY: 'Reads organizations, connections, sessions, directories and the environment’s settings; changes nothing (REST: GET only)',
  SSO_ADMIN: 'Also creates, changes and deletes organizations, domains, connections, directories and redirect URIs',
  FULL_ENVIRONMENT: 'Also changes the environment’s settings: OAuth providers, Admin Portal, custom attributes, webhook endpoints',
};

const READABLE: readonly Permission[] = ['organizations:manage', 'sessions:decrypted-assertions', 'redirect-uris:manage', 'environment:configure'];
const WRITABLE: Record<ApiKeyScope, readonly Permission[]> = {
  READ_ONLY: [],
  SSO_ADMIN: ['organizations:manage', 'redirect-uris:manage'],
  FULL_ENVIRONMENT: ['organizations:manage', 'redirect-uris:manage', 'environment:configure'],
};

const LABELS: Record<ApiKeyScope, string> = { READ_ONLY: 'Read-only', SSO_ADMIN: 'SSO admin', FULL_ENVIRONMENT: 'Full environment' };

/**
 * Refuses a key whose scope doesn't grant `permission` (for a change when `write`): `dashboard_only` when no scope
 * grants it, `scope_required` naming the scope that would.
 */
export function refuseUnlessScopeAllows(scope: ApiKeyScope, permission: Permission, write: boolean): void {
  const grants = (s: ApiKeyScope) => (write ? WRITABLE[s] : READABLE).includes(permission);
  if (grants(scope)) return;
  const wider = API_KEY_SCOPES.find(grants);
  if (!wider) throw new ForbiddenError('This operation is for dashboard users; an API key cannot perform it', 'dashboard_only');
  throw new ForbiddenError(`This API key’s scope (${LABELS[scope]}) can’t do this; it needs a key with the ${LABELS[wider]} scope`, 'scope_required');
}
