import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, registerEnumType, Resolver, Root } from 'type-graphql';
import { parse as parseCookies } from 'cookie';
import { writeOAuthBrowserCookie } from './oauth-browser-cookie';
import { OAUTH_BROWSER_COOKIE } from './oauth-flow';
import { startTestSignIn } from './test-sign-in';
import type { Context } from '../../context';
import { NotFoundError } from '../../errors';
import { connectionComplexity, PageArgs } from '../../graphql/pagination';
import { paginate } from '../../lib/keyset-pagination';
import { scopeOf, scopeOfOwner } from '../environments/access-scope';
import { presentConnection, SsoConnection } from '../connections/connection.type';
import { unrecordedAttempts } from './acs-limits';
import { connectionSessionsQuery, getSession, type SessionStatus } from './sessions.service';
import { GraphQLJSONObject } from 'graphql-scalars';
import { presentSession, SamlErrorKindEnum, SsoSession, SsoSessionConnection, type SessionDetail } from './sso-session.type';

const SessionStatusEnum = { STARTED: 'STARTED', TIMED_OUT: 'TIMED_OUT', AUTHORIZED: 'AUTHORIZED', SUCCESSFUL: 'SUCCESSFUL', FAILED: 'FAILED' } as const;
registerEnumType(SessionStatusEnum, { name: 'SsoSessionStatus', description: 'STARTED: waiting for the IdP (under 5 minutes); TIMED_OUT: no response after 5 minutes' });

@InputType({ description: 'Every given criterion must match' })
export class SessionFilterInput {
  @Field(() => [SessionStatusEnum], { nullable: true }) statuses?: SessionStatus[];
  @Field(() => [SamlErrorKindEnum], { nullable: true }) errors?: string[];
  @Field({ nullable: true, description: 'The start of the user’s email, case-insensitive' }) email?: string;
  @Field(() => Date, { nullable: true }) from?: Date;
  @Field(() => Date, { nullable: true }) to?: Date;
  @Field(() => ID, { nullable: true, description: 'Only sessions newer than this one (for polling)' }) since?: string;
}

@ArgsType()
export class SessionPageArgs extends PageArgs {
  @Field(() => SessionFilterInput, { nullable: true }) filter?: SessionFilterInput;
}

@Resolver(() => SsoConnection)
export class ConnectionSessionsResolver {
  @FieldResolver(() => SsoSessionConnection, { complexity: connectionComplexity, description: 'Sign-in attempts, newest first' })
  async sessions(@Root() connection: SsoConnection, @Args() args: SessionPageArgs, @Ctx() ctx: Context) {
    const query = await connectionSessionsQuery(ctx.db, await scopeOfOwner(ctx, 'organizations:manage', connection), connection.id, args.filter ?? {});
    return paginate(query, args, (row) => presentSession(row, { withDetail: false }), 'DESC');
  }

  @FieldResolver(() => Int, { description: 'Failed sign-in attempts in the last 24 hours that were refused but not recorded: past the limits on failed attempts per IP or per connection' })
  async unrecordedFailedAttempts(@Root() connection: SsoConnection, @Ctx() ctx: Context) {
    // tenancy: the role is checked in the connection's own workspace (it may be reached through another workspace)
    await scopeOfOwner(ctx, 'organizations:manage', connection);
    return unrecordedAttempts(ctx.db, connection.id);
  }

  @FieldResolver(() => SsoSession, { nullable: true, description: 'The newest sign-in attempt (one query for a whole list of connections)' })
  async latestSession(@Root() connection: SsoConnection, @Ctx() ctx: Context) {
    await scopeOfOwner(ctx, 'organizations:manage', connection);
    const row = await ctx.loaders.latestSession.load(connection.id);
    return row ? presentSession(row) : null;
  }
}

@ObjectType('TestSignInStart')
class TestSignInStart {
  @Field(() => ID) sessionId: string;
  @Field({ description: 'Open it in the browser: the connection’s IdP, with the AuthnRequest' }) url: string;
}

@Resolver(() => SsoSession)
export class SessionsResolver {
  @Mutation(() => TestSignInStart, { description: 'Starts an SP-initiated test sign-in through the connection’s IdP; it ends on the dashboard’s result page, never at the app' })
  async startTestSignIn(@Arg('connectionId', () => ID) connectionId: string, @Ctx() ctx: Context) {
    const oauthBrowser = parseCookies(ctx.req.headers.cookie ?? '')[OAUTH_BROWSER_COOKIE] ?? null;
    const { sessionId, location, oauthBrowser: binding } = await startTestSignIn(ctx, scopeOf(ctx, 'organizations:manage'), connectionId, { ip: ctx.ip, userAgent: ctx.req.get('user-agent') ?? null, oauthBrowser });
    // An OIDC connection's test sign-in comes back to /sso/oauth/callback, which checks this browser's binding cookie.
    if (binding) writeOAuthBrowserCookie(ctx.res, binding, ctx.config.publicUrl);
    return Object.assign(new TestSignInStart(), { sessionId, url: location });
  }

  @Query(() => SsoSession, { description: 'One sign-in attempt, with its timeline, error diagnosis and raw SAML' })
  async session(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const session = await getSession(ctx.db, scopeOf(ctx, 'organizations:manage'), id);
    // An OAuth provider's session (Google, GitHub …) has no organization or connection, which this type requires
    // (v1): it is an OAuthSession, read with oauthSession(id). An OIDC connection's session is an SsoSession.
    if (!session || !session.connectionId) throw new NotFoundError('Session');
    return presentSession(session);
  }

  @FieldResolver(() => SsoConnection, { description: 'The connection the attempt went through, as it is configured now' })
  async connection(@Root() session: SsoSession, @Ctx() ctx: Context) {
    await scopeOfOwner(ctx, 'organizations:manage', session);
    const connection = await ctx.loaders.connection.load(session.connectionId);
    if (!connection) throw new NotFoundError('Connection');
    return presentConnection(connection, ctx.config.publicUrl);
  }

  // The detail fields: present on a session read whole, loaded in one batch for the rows of a list.
  @FieldResolver(() => GraphQLJSONObject, { nullable: true, description: 'Expected and received values, and what the diagnosis needs' })
  async errorDetails(@Root() session: SsoSession, @Ctx() ctx: Context) {
    return (await detail(session, ctx)).errorDetails;
  }

  @FieldResolver(() => String, { nullable: true, description: 'The AuthnRequest as XML (SP-initiated only)' })
  async samlRequest(@Root() session: SsoSession, @Ctx() ctx: Context) {
    return (await detail(session, ctx)).samlRequest;
  }

  @FieldResolver(() => String, { nullable: true, description: 'The SAML response as decoded XML; only its start when samlResponseTruncated' })
  async samlResponse(@Root() session: SsoSession, @Ctx() ctx: Context) {
    return (await detail(session, ctx)).samlResponse;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'The size of the SAML response as received, in bytes' })
  async samlResponseBytes(@Root() session: SsoSession, @Ctx() ctx: Context) {
    return (await detail(session, ctx)).samlResponseBytes;
  }

  @FieldResolver(() => Boolean, { description: 'The stored SAML response is only the start of what was received: a failed attempt keeps at most 64 KB' })
  async samlResponseTruncated(@Root() session: SsoSession, @Ctx() ctx: Context) {
    return (await detail(session, ctx)).samlResponseTruncated;
  }

  @FieldResolver(() => GraphQLJSONObject, { nullable: true, description: 'An OIDC connection’s raw exchange: the authorization request, the token response with its tokens redacted, the ID token’s header and claims; null for SAML' })
  async oauthExchange(@Root() session: SsoSession, @Ctx() ctx: Context) {
    return (await detail(session, ctx)).oauthExchange;
  }

  @FieldResolver(() => String, { nullable: true })
  async redirectUri(@Root() session: SsoSession, @Ctx() ctx: Context) {
    return (await detail(session, ctx)).redirectUri;
  }

  @FieldResolver(() => GraphQLJSONObject, { nullable: true, description: 'The profile the app receives (WorkOS shape) for an authorized or successful sign-in; null otherwise' })
  async profile(@Root() session: SsoSession, @Ctx() ctx: Context) {
    return (await detail(session, ctx)).profile;
  }

  @FieldResolver(() => String, { nullable: true, description: 'An encrypted sign-in’s assertion as Portico decrypted it (XML), kept like samlResponse (same retention; at most 64 KB for a failed attempt); null when the assertion was not encrypted or could not be decrypted. Admins and Developers only (FORBIDDEN for Support), and API keys' })
  async decryptedAssertion(@Root() session: SsoSession, @Ctx() ctx: Context) {
    // tenancy and role: the viewer's role in the session's own workspace
    await scopeOfOwner(ctx, 'sessions:decrypted-assertions', session);
    return (await detail(session, ctx)).decryptedAssertion;
  }
}

/** tenancy: the parent session was read in scope; its detail is loaded by its own ID. */
export async function detail(session: { id: string; detail: SessionDetail | null }, ctx: Context): Promise<SessionDetail> {
  if (session.detail) return session.detail;
  const loaded = await ctx.loaders.sessionDetail.load(session.id);
  if (!loaded) throw new NotFoundError('Session');
  return loaded;
}
