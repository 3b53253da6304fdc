import type { Role } from '@portico/shared';

/**
 * Who may do what: the one table every server-side check reads. The dashboard receives the viewer's
 * permissions from here to hide what a role can't do; hiding is convenience, this table is the rule.
 */
export const POLICY = {
  'team:view': ['ADMIN', 'DEVELOPER', 'SUPPORT'],
  'team:manage': ['ADMIN'],
  'team-details:edit': ['ADMIN'],
  'outbox:view': ['ADMIN'],
  'environment:configure': ['ADMIN', 'DEVELOPER'],
  'redirect-uris:manage': ['ADMIN', 'DEVELOPER'],
  'api-keys:manage': ['ADMIN', 'DEVELOPER'],
  'organizations:manage': ['ADMIN', 'DEVELOPER', 'SUPPORT'],
  // An encrypted assertion was meant for the SP alone: its decrypted form is for those who configure the SP side,
  // not for Support, who diagnose sign-ins from the session, its error and the raw (encrypted) response.
  'sessions:decrypted-assertions': ['ADMIN', 'DEVELOPER'],
  'billing:manage': ['ADMIN'],
  'compliance:download': ['ADMIN'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof POLICY;

export const PERMISSION_DESCRIPTIONS: Record<Permission, string> = {
  'team:view': 'view the team',
  'team:manage': 'invite, change and remove team members',
  'team-details:edit': 'edit team details',
  'outbox:view': 'read the dev outbox',
  'environment:configure': 'configure environments',
  'redirect-uris:manage': 'manage redirect URIs',
  'api-keys:manage': 'manage API keys',
  'organizations:manage': 'manage organizations, connections and directories',
  'sessions:decrypted-assertions': 'read decrypted SAML assertions',
  'billing:manage': 'manage billing',
  'compliance:download': 'download compliance documents',
};

export function roleCan(role: Role, permission: Permission): boolean {
  return (POLICY[permission] as readonly Role[]).includes(role);
}

export function permissionsOf(role: Role): Permission[] {
  return (Object.keys(POLICY) as Permission[]).filter((p) => roleCan(role, p));
}
