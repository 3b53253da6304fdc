import { Field, ID, ObjectType } from 'type-graphql';
import type { EnvironmentKind } from '@portico/shared';
import { EnvironmentKindEnum } from '../../graphql/enums';
import type { EnvironmentEntity } from './environment.entity';

@ObjectType('Environment', { description: 'Staging or Production, each with its own client ID and data' })
export class Environment {
  @Field(() => ID) id: string;
  @Field(() => EnvironmentKindEnum) kind: EnvironmentKind;
  @Field() name: string;
  @Field({ description: 'Passed as client_id to /sso/authorize and /sso/token' }) clientId: string;
  @Field() createdAt: Date;
  /** Not in the schema: lets field resolvers (the Production lock) reach the workspace without loading the row again. */
  workspaceId: string;
}

export function presentEnvironment(entity: EnvironmentEntity): Environment {
  return Object.assign(new Environment(), {
    id: entity.id,
    kind: entity.kind,
    name: entity.name,
    clientId: entity.clientId,
    createdAt: entity.createdAt,
    workspaceId: entity.workspaceId,
  });
}
