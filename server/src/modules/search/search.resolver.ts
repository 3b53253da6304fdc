import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { ownerOfEnvironment, scopeOfOwner } from '../environments/access-scope';
import { Environment } from '../environments/environment.type';
import { searchEnvironment } from './search.service';
import { SearchResults } from './search.type';

@Resolver(() => Environment)
export class EnvironmentSearchResolver {
  @FieldResolver(() => SearchResults, { description: 'Organizations, connections, directories, directory users and sessions of this environment by the start of a name, domain or email (sessions: an email with its @), or by a pasted ID' })
  async search(@Root() environment: Environment, @Arg('query') query: string, @Ctx() ctx: Context) {
    // tenancy: every hit links to a page that needs organizations:manage, checked in the workspace that owns `environment`
    await scopeOfOwner(ctx, 'organizations:manage', ownerOfEnvironment(environment));
    return searchEnvironment(ctx.db, environment.id, query);
  }
}
