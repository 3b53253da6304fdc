import { Field, ID, ObjectType } from 'type-graphql';
import type { Role } from '@portico/shared';
import { RoleEnum } from '../../graphql/enums';
import { Connection } from '../../graphql/pagination';
import type { MemberEntity } from './member.entity';

@ObjectType('Member', { description: "A user's seat in the workspace" })
export class Member {
  @Field(() => ID) id: string;
  @Field(() => RoleEnum) role: Role;
  @Field({ description: 'When they joined' }) createdAt: Date;
  userId: string;
  workspaceId: string;
}

@ObjectType()
export class MemberConnection extends Connection(Member) {}

export function presentMember(entity: MemberEntity): Member {
  return Object.assign(new Member(), {
    id: entity.id,
    role: entity.role,
    createdAt: entity.createdAt,
    userId: entity.userId,
    workspaceId: entity.workspaceId,
  });
}
