import { registerEnumType } from 'type-graphql';
import { ENVIRONMENT_KINDS, ROLES, THEMES } from '@portico/shared';

const asEnum = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const RoleEnum = asEnum(ROLES);
export const EnvironmentKindEnum = asEnum(ENVIRONMENT_KINDS);
export const ThemeEnum = asEnum(THEMES);
export const InvitationStatusEnum = asEnum(['PENDING', 'EXPIRED', 'ACCEPTED', 'REVOKED'] as const);
export type InvitationStatus = keyof typeof InvitationStatusEnum;

registerEnumType(RoleEnum, { name: 'Role', description: 'Dashboard team role' });
registerEnumType(EnvironmentKindEnum, { name: 'EnvironmentKind' });
registerEnumType(ThemeEnum, { name: 'Theme', description: 'Dashboard colour theme; SYSTEM follows the OS setting' });
registerEnumType(InvitationStatusEnum, { name: 'InvitationStatus' });
