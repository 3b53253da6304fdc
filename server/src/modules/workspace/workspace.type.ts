import { Field, ID, ObjectType } from 'type-graphql';
import type { WorkspaceEntity } from './workspace.entity';

@ObjectType('Workspace', { description: 'A team: its members and its environments' })
export class Workspace {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => String, { nullable: true, description: 'Reply-to address of Admin Portal emails sent to your customers' })
  supportEmail: string | null;
  @Field() createdAt: Date;
}

export function presentWorkspace(entity: WorkspaceEntity): Workspace {
  return Object.assign(new Workspace(), {
    id: entity.id,
    name: entity.name,
    supportEmail: entity.supportEmail,
    createdAt: entity.createdAt,
  });
}
