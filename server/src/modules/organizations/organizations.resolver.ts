import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, ArgsType, Field } from 'type-graphql';
import type { Context } from '../../context';
import { connectionComplexity, PageArgs } from '../../graphql/pagination';
import { paginate } from '../../lib/keyset-pagination';
import { ownerOfEnvironment, scopeOf, scopeOfOwner } from '../environments/access-scope';
import { Environment } from '../environments/environment.type';
import {
  addOrganizationDomain, createOrganization, deleteOrganization, getOrganization, organizationsQuery, removeOrganizationDomain, updateOrganization,
} from './organizations.service';
import { CreateOrganizationInput, Organization, OrganizationConnection, OrganizationDomain, presentDomain, presentOrganization, UpdateOrganizationInput } from './organization.type';

@ArgsType()
class OrganizationPageArgs extends PageArgs {
  @Field({ nullable: true, description: 'Matches the name, a domain, or the exact ID' }) search?: string;
}

@Resolver(() => Environment)
export class EnvironmentOrganizationsResolver {
  @FieldResolver(() => OrganizationConnection, { complexity: connectionComplexity, description: 'Organizations, newest first' })
  async organizations(@Root() environment: Environment, @Args() args: OrganizationPageArgs, @Ctx() ctx: Context) {
    // tenancy: the role checked is the viewer's role in the workspace that owns `environment`, not the current one
    const query = organizationsQuery(ctx.db, await scopeOfOwner(ctx, 'organizations:manage', ownerOfEnvironment(environment)), { environmentId: environment.id, search: args.search });
    return paginate(query, args, presentOrganization, 'DESC');
  }
}

@Resolver(() => Organization)
export class OrganizationsResolver {
  @Query(() => Organization, { description: 'An organization of your workspace (or of the API key’s environment)' })
  async organization(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return presentOrganization(await getOrganization(ctx.db, scopeOf(ctx, 'organizations:manage'), id));
  }

  @FieldResolver(() => [OrganizationDomain])
  async domains(@Root() org: Organization, @Ctx() ctx: Context) {
    await scopeOfOwner(ctx, 'organizations:manage', org);
    return (await ctx.loaders.organizationDomains.load(org.id)).map(presentDomain);
  }

  @Mutation(() => Organization, { description: 'Creates an organization; its domains are verified by you (Admin, Developer, Support)' })
  async createOrganization(@Arg('input') input: CreateOrganizationInput, @Ctx() ctx: Context) {
    const org = await createOrganization(ctx.db, scopeOf(ctx, 'organizations:manage'), input.environmentId, {
      name: input.name, domains: input.domains?.map((domain) => ({ domain, state: 'verified' as const })),
      allowProfilesOutsideOrganization: input.allowProfilesOutsideOrganization, externalId: input.externalId,
    });
    return presentOrganization(org);
  }

  @Mutation(() => Organization, { description: 'Changes the given fields; `domains` replaces the whole list atomically' })
  async updateOrganization(@Arg('input') input: UpdateOrganizationInput, @Ctx() ctx: Context) {
    const { id, domains, ...patch } = input;
    const domainList = domains?.map((domain) => ({ domain, state: 'verified' as const }));
    return presentOrganization(await updateOrganization(ctx.db, scopeOf(ctx, 'organizations:manage'), id, { ...patch, domains: domainList }));
  }

  @Mutation(() => Organization, { description: 'Deletes an organization with its connections and their sessions' })
  async deleteOrganization(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return presentOrganization(await deleteOrganization(ctx.db, scopeOf(ctx, 'organizations:manage'), id));
  }

  @Mutation(() => OrganizationDomain, { description: 'Adds an email domain to the allowlist, verified by you' })
  async addOrganizationDomain(@Arg('organizationId', () => ID) organizationId: string, @Arg('domain') domain: string, @Ctx() ctx: Context) {
    return presentDomain(await addOrganizationDomain(ctx.db, scopeOf(ctx, 'organizations:manage'), organizationId, domain, 'verified'));
  }

  @Mutation(() => OrganizationDomain)
  async removeOrganizationDomain(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return presentDomain(await removeOrganizationDomain(ctx.db, scopeOf(ctx, 'organizations:manage'), id));
  }
}
