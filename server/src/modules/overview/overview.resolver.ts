import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { ownerOfEnvironment, scopeOfOwner } from '../environments/access-scope';
import { Environment } from '../environments/environment.type';
import { environmentOverview } from './overview.service';
import { EnvironmentOverview, presentOverview } from './overview.type';

@Resolver(() => Environment)
export class EnvironmentOverviewResolver {
  @FieldResolver(() => EnvironmentOverview, { description: 'Onboarding checklist and live figures for this environment (what its Organizations pages show, so the same roles)' })
  async overview(@Root() environment: Environment, @Ctx() ctx: Context) {
    // tenancy: the role is checked in the workspace that owns `environment`; every statement is bound to its ID
    await scopeOfOwner(ctx, 'organizations:manage', ownerOfEnvironment(environment));
    return presentOverview(await environmentOverview(ctx.db, environment.id));
  }
}
