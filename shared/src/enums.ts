/** Dashboard team roles, as WorkOS names them. */
export const ROLES = ['ADMIN', 'DEVELOPER', 'SUPPORT'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = { ADMIN: 'Admin', DEVELOPER: 'Developer', SUPPORT: 'Support' };

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  ADMIN: 'Everything, including team members, billing and compliance documents.',
  DEVELOPER: 'Environment configuration (API keys, redirect URIs) and everything Support can do.',
  SUPPORT: 'Organizations, connections, directories and sessions only.',
};

export const ENVIRONMENT_KINDS = ['STAGING', 'PRODUCTION'] as const;
export type EnvironmentKind = (typeof ENVIRONMENT_KINDS)[number];

export const THEMES = ['LIGHT', 'DARK', 'SYSTEM'] as const;
export type Theme = (typeof THEMES)[number];

/** Days an invitation link stays valid. */
export const INVITATION_TTL_DAYS = 7;

/** How long a sign-up confirmation link works. */
export const SIGN_UP_CONFIRMATION_TTL_HOURS = 24;
