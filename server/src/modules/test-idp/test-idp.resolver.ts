import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { ValidationError } from '../../errors';
import { environmentInScope, ownerOfEnvironment, scopeOf, scopeOfOwner } from '../environments/access-scope';
import { Environment } from '../environments/environment.type';
import { findTestIdentityProvider, setTestIdentityProviderEnabled } from './test-idp.service';
import { presentTestIdentityProvider, TestIdentityProvider } from './test-idp.type';

@Resolver(() => Environment)
export class TestIdentityProviderResolver {
  @FieldResolver(() => TestIdentityProvider, { description: 'The built-in test IdP and its Test Organization (not available in Production); reading it never creates it' })
  async testIdentityProvider(@Root() environment: Environment, @Ctx() ctx: Context) {
    // tenancy: the role is checked in the workspace that owns the environment
    const scope = await scopeOfOwner(ctx, 'organizations:manage', ownerOfEnvironment(environment));
    // Production never has one, whether or not it is unlocked yet.
    if (environment.kind !== 'STAGING') return presentTestIdentityProvider(null, ctx.config.publicUrl, environment.id, false);
    await environmentInScope(ctx, scope, environment.id);
    return presentTestIdentityProvider(await findTestIdentityProvider(ctx.db, environment.id), ctx.config.publicUrl, environment.id, true);
  }

  @Mutation(() => TestIdentityProvider, { description: 'Turns the environment’s test IdP on or off (Staging only), setting up what is missing of it (key, Test Organization, connection) first' })
  async setTestIdentityProviderEnabled(@Arg('environmentId', () => ID) environmentId: string, @Arg('enabled') enabled: boolean, @Ctx() ctx: Context) {
    const environment = await environmentInScope(ctx, scopeOf(ctx, 'environment:configure'), environmentId);
    const row = await setTestIdentityProviderEnabled(ctx, environment.id, enabled);
    if (!row) throw ValidationError.field('environmentId', 'test_idp_unavailable', 'The test identity provider exists only in Staging environments.');
    return presentTestIdentityProvider(row, ctx.config.publicUrl, environment.id, true);
  }
}
