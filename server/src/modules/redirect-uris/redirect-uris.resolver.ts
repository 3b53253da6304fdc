import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { scopeOf, scopeOfOwner, ownerOfEnvironment, environmentInScope } from '../environments/access-scope';
import { Environment } from '../environments/environment.type';
import type { RedirectUriEntity } from './redirect-uri.entity';
import { addRedirectUri, listRedirectUris, removeRedirectUri, setDefaultRedirectUri } from './redirect-uris.service';

@ObjectType('RedirectUri', { description: 'Where a sign-in may return to the application; the default also receives IdP-initiated sign-ins' })
export class RedirectUri {
  @Field(() => ID) id: string;
  @Field() uri: string;
  @Field() isDefault: boolean;
  @Field() createdAt: Date;
}

const present = (e: RedirectUriEntity) => Object.assign(new RedirectUri(), { id: e.id, uri: e.uri, isDefault: e.isDefault, createdAt: e.createdAt });

@InputType()
class AddRedirectUriInput {
  @Field(() => ID) environmentId: string;
  @Field() uri: string;
  @Field({ nullable: true }) isDefault?: boolean;
}

@Resolver(() => Environment)
export class RedirectUrisResolver {
  @FieldResolver(() => [RedirectUri], { description: 'Allowed redirect URIs, oldest first (Admin, Developer)' })
  async redirectUris(@Root() environment: Environment, @Ctx() ctx: Context) {
    await environmentInScope(ctx, await scopeOfOwner(ctx, 'redirect-uris:manage', ownerOfEnvironment(environment)), environment.id);
    return (await listRedirectUris(ctx.db, environment.id)).map(present);
  }

  @Mutation(() => RedirectUri, { description: 'Adds an allowed redirect URI; the rules (https in Production, wildcards) are checked here' })
  async addRedirectUri(@Arg('input') input: AddRedirectUriInput, @Ctx() ctx: Context) {
    return present(await addRedirectUri(ctx.db, scopeOf(ctx, 'redirect-uris:manage'), input.environmentId, input.uri, input.isDefault ?? false));
  }

  @Mutation(() => RedirectUri)
  async setDefaultRedirectUri(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return present(await setDefaultRedirectUri(ctx.db, scopeOf(ctx, 'redirect-uris:manage'), id));
  }

  @Mutation(() => RedirectUri)
  async removeRedirectUri(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return present(await removeRedirectUri(ctx.db, scopeOf(ctx, 'redirect-uris:manage'), id));
  }
}
