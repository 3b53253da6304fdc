import { Field, ObjectType } from 'type-graphql';
import type { Role } from '@portico/shared';
import { RoleEnum } from '../../graphql/enums';
import { User } from '../users/user.type';
import { Workspace } from '../workspace/workspace.type';

@ObjectType({ description: 'A workspace the viewer belongs to' })
export class WorkspaceMembership {
  @Field(() => Workspace) workspace: Workspace;
  @Field(() => RoleEnum) role: Role;
}

@ObjectType({ description: 'The signed-in dashboard user and the workspace they are looking at' })
export class Viewer {
  @Field(() => User) user: User;
  @Field(() => Workspace, { nullable: true }) workspace: Workspace | null;
  @Field(() => RoleEnum, { nullable: true }) role: Role | null;
  @Field(() => [String], { description: 'What the role may do, from the server policy (e.g. team:manage)' }) permissions: string[];
  @Field(() => [WorkspaceMembership]) workspaces: WorkspaceMembership[];
  @Field({ description: 'smtp when invitations are emailed, outbox when they are kept in the dev outbox' }) emailDelivery: string;
}
