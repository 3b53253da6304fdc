import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import type { Context } from '../../context';
import { NotFoundError } from '../../errors';
import { connectionComplexity } from '../../graphql/pagination';
import { paginate } from '../../lib/keyset-pagination';
import { ownerOfEnvironment, scopeOf, scopeOfOwner } from '../environments/access-scope';
import { Environment } from '../environments/environment.type';
import { getOAuthSession, oauthSessionsQuery } from './sessions.service';
import { detail, SessionPageArgs } from './sessions.resolver';
import { OAuthSession, OAuthSessionConnection, presentOAuthSession } from './sso-session.type';

@Resolver(() => Environment)
export class EnvironmentOAuthSessionsResolver {
  @FieldResolver(() => OAuthSessionConnection, { complexity: connectionComplexity, description: 'Sign-in attempts through OAuth providers (Google, Microsoft, GitHub, Apple), newest first; `provider` keeps one provider’s' })
  async oauthSessions(@Root() environment: Environment, @Args() args: SessionPageArgs, @Arg('provider', () => String, { nullable: true }) provider: string | null, @Ctx() ctx: Context) {
    // tenancy: the role is checked in the environment's own workspace, and the query is restricted to that scope
    const query = await oauthSessionsQuery(ctx.db, await scopeOfOwner(ctx, 'organizations:manage', ownerOfEnvironment(environment)), environment.id, provider ?? null, args.filter ?? {});
    return paginate(query, args, (row) => presentOAuthSession(row, { withDetail: false }), 'DESC');
  }
}

@Resolver(() => OAuthSession)
export class OAuthSessionsResolver {
  @Query(() => OAuthSession, { description: 'One sign-in attempt through an OAuth provider, with its timeline, error diagnosis and raw exchange' })
  async oauthSession(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const session = await getOAuthSession(ctx.db, scopeOf(ctx, 'organizations:manage'), id);
    if (!session) throw new NotFoundError('OAuth session');
    return presentOAuthSession(session);
  }

  // The detail fields: present on a session read whole, loaded in one batch for the rows of a list.
  @FieldResolver(() => GraphQLJSONObject, { nullable: true, description: 'Expected and received values, the provider’s error and description, the claims received' })
  async errorDetails(@Root() session: OAuthSession, @Ctx() ctx: Context) {
    return (await detail(session, ctx)).errorDetails;
  }

  @FieldResolver(() => GraphQLJSONObject, { nullable: true, description: 'The raw exchange: the authorization request (state and nonce redacted), the token response with its tokens redacted, the ID token’s header and claims (GitHub: the user and emails API answers)' })
  async oauthExchange(@Root() session: OAuthSession, @Ctx() ctx: Context) {
    return (await detail(session, ctx)).oauthExchange;
  }

  @FieldResolver(() => String, { nullable: true })
  async redirectUri(@Root() session: OAuthSession, @Ctx() ctx: Context) {
    return (await detail(session, ctx)).redirectUri;
  }

  @FieldResolver(() => GraphQLJSONObject, { nullable: true, description: 'The profile the app receives (WorkOS shape) for an authorized or successful sign-in; null otherwise' })
  async profile(@Root() session: OAuthSession, @Ctx() ctx: Context) {
    return (await detail(session, ctx)).profile;
  }
}
