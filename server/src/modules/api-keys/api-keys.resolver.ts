import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Mutation, Resolver, Root } from 'type-graphql';
import { IsNotEmpty, MaxLength } from 'class-validator';
import type { Context } from '../../context';
import { connectionComplexity, PageArgs } from '../../graphql/pagination';
import { Environment } from '../environments/environment.type';
import { ApiKey, ApiKeyConnection, ApiKeyScopeEnum, CreatedApiKey, presentApiKey } from './api-key.type';
import { DEFAULT_API_KEY_SCOPE, type ApiKeyScope } from './api-key-scopes';
import { createApiKey, listApiKeys, revealApiKey, revokeApiKey } from './api-keys.service';

@InputType()
class CreateApiKeyInput {
  @Field(() => ID) environmentId: string;
  @Field() @IsNotEmpty({ message: 'Name the key after what uses it, e.g. "Production web app"' }) @MaxLength(100) name: string;
  @Field(() => ApiKeyScopeEnum, { defaultValue: DEFAULT_API_KEY_SCOPE, description: 'What the key may do (default SSO_ADMIN)' }) scope: ApiKeyScope;
}

@Resolver(() => Environment)
export class ApiKeysResolver {
  @FieldResolver(() => ApiKeyConnection, { complexity: connectionComplexity, description: 'Active keys, newest first (Admin, Developer)' })
  apiKeys(@Root() environment: Environment, @Args() page: PageArgs, @Ctx() ctx: Context) {
    return listApiKeys(ctx, environment, page);
  }

  @Mutation(() => CreatedApiKey, { description: 'Creates an API key; its secret is in this response only (Admin, Developer)' })
  async createApiKey(@Arg('input') input: CreateApiKeyInput, @Ctx() ctx: Context) {
    const { entity, secret } = await createApiKey(ctx, input.environmentId, input.name, input.scope);
    return Object.assign(new CreatedApiKey(), { apiKey: presentApiKey(entity), secret });
  }

  @Mutation(() => String, { description: 'Shows a Staging key’s secret again (Admin, Developer); Production keys are shown only once' })
  revealApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return revealApiKey(ctx, id);
  }

  @Mutation(() => ApiKey, { description: 'Revokes an API key at once (Admin, Developer)' })
  async revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return presentApiKey(await revokeApiKey(ctx, id));
  }
}
