import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { Role } from '@portico/shared';
import { InvitationStatusEnum, RoleEnum, type InvitationStatus } from '../../graphql/enums';
import { Connection } from '../../graphql/pagination';
import type { InvitationEntity } from './invitation.entity';

@ObjectType('Invitation', { description: 'An emailed offer to join the workspace with a role' })
export class Invitation {
  @Field(() => ID) id: string;
  @Field() email: string;
  @Field(() => RoleEnum) role: Role;
  @Field(() => InvitationStatusEnum) status: InvitationStatus;
  @Field() expiresAt: Date;
  @Field() lastSentAt: Date;
  @Field(() => Int, { description: 'How many times the email was sent' }) sendCount: number;
  @Field() createdAt: Date;
  invitedById: string;
  /** Not in the schema: field resolvers check the role in the workspace that sent this invitation. */
  workspaceId: string;
}

@ObjectType()
export class InvitationConnection extends Connection(Invitation) {}

@ObjectType({ description: 'What the holder of an invitation link may see before accepting it' })
export class InvitationPreview {
  @Field() email: string;
  @Field(() => RoleEnum) role: Role;
  @Field(() => InvitationStatusEnum) status: InvitationStatus;
  @Field() workspaceName: string;
  @Field() invitedByName: string;
  @Field() expiresAt: Date;
  @Field({ description: 'True when a dashboard account with this email exists: sign in instead of signing up' })
  accountExists: boolean;
}

export function invitationStatus(entity: InvitationEntity, now = new Date()): InvitationStatus {
  if (entity.acceptedAt) return 'ACCEPTED';
  if (entity.revokedAt) return 'REVOKED';
  return entity.expiresAt <= now ? 'EXPIRED' : 'PENDING';
}

export function presentInvitation(entity: InvitationEntity): Invitation {
  return Object.assign(new Invitation(), {
    id: entity.id,
    workspaceId: entity.workspaceId,
    email: entity.email,
    role: entity.role,
    status: invitationStatus(entity),
    expiresAt: entity.expiresAt,
    lastSentAt: entity.lastSentAt,
    sendCount: entity.sendCount,
    createdAt: entity.createdAt,
    invitedById: entity.invitedById,
  });
}
