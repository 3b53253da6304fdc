import { Field, ID, ObjectType } from 'type-graphql';
import { Connection } from '../../graphql/pagination';
import type { ApiKeyEntity } from './api-key.entity';

@ObjectType('ApiKey', { description: 'An API key; the secret itself is shown only once, when it is created' })
export class ApiKey {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field({ description: 'How the key is shown: prefix, dots and its last four characters' }) maskedValue: string;
  @Field(() => Date, { nullable: true }) lastUsedAt: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt: Date | null;
  @Field({ description: 'Staging keys can be shown again; Production keys only once' }) revealable: boolean;
  @Field() createdAt: Date;
}

@ObjectType()
export class ApiKeyConnection extends Connection(ApiKey) {}

@ObjectType({ description: 'A new API key and its secret. Store the secret now: Portico keeps only a hash of it.' })
export class CreatedApiKey {
  @Field(() => ApiKey) apiKey: ApiKey;
  @Field() secret: string;
}

export function presentApiKey(entity: ApiKeyEntity): ApiKey {
  return Object.assign(new ApiKey(), {
    id: entity.id,
    name: entity.name,
    maskedValue: `${entity.prefix}••••••••${entity.lastFour}`,
    lastUsedAt: entity.lastUsedAt,
    revokedAt: entity.revokedAt,
    revealable: entity.prefix === 'sk_test_',
    createdAt: entity.createdAt,
  });
}
