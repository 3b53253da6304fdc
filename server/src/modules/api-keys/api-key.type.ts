import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../graphql/pagination';
import type { ApiKeyEntity } from './api-key.entity';
import { API_KEY_SCOPE_DESCRIPTIONS, API_KEY_SCOPES, type ApiKeyScope } from './api-key-scopes';

export const ApiKeyScopeEnum = Object.fromEntries(API_KEY_SCOPES.map((s) => [s, s])) as { [S in ApiKeyScope]: S };
registerEnumType(ApiKeyScopeEnum, {
  name: 'ApiKeyScope',
  description: 'What an API key may do in its own environment; no key reaches billing, the team or API keys',
  valuesConfig: Object.fromEntries(API_KEY_SCOPES.map((s) => [s, { description: API_KEY_SCOPE_DESCRIPTIONS[s] }])),
});

@ObjectType('ApiKey', { description: 'An API key; the secret itself is shown only once, when it is created' })
export class ApiKey {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => ApiKeyScopeEnum, { description: 'What the key may do; keys made before scopes existed are SSO_ADMIN' }) scope: ApiKeyScope;
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
    scope: entity.scope,
    maskedValue: `${entity.prefix}••••••••${entity.lastFour}`,
    lastUsedAt: entity.lastUsedAt,
    revokedAt: entity.revokedAt,
    revealable: entity.prefix === 'sk_test_',
    createdAt: entity.createdAt,
  });
}
