import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { connectionComplexity, PageArgs } from '../../graphql/pagination';
import { paginate } from '../../lib/keyset-pagination';
import { environmentInScope, scopeOf, scopeOfOwner, ownerOfEnvironment, type Owner } from '../environments/access-scope';
import { Environment } from '../environments/environment.type';
import { Organization, presentOrganization } from '../organizations/organization.type';
import {
  createCustomAttribute, createDirectory, deleteCustomAttribute, deleteDirectory, directoriesQuery, directoryGroupsQuery, directoryUsersQuery, getDirectory,
  getDirectoryUser, listCustomAttributes, mapCustomAttribute, rawAttributePaths, rotateDirectoryToken, updateCustomAttribute,
} from './directories.service';
import { ScimRequestEntity, type CustomAttributeType } from './directory.entity';
import {
  CreateCustomAttributeInput, CreateDirectoryInput, CustomAttribute, CustomAttributeMapping, Directory, DirectoryGroup, DirectoryGroupConnection, DirectoryUser,
  DirectoryUserConnection, DirectoryWithToken, presentCustomAttribute, presentDirectory, presentDirectoryGroup, presentDirectoryUser, presentScimRequest,
  RawAttributePath, ScimRequestConnection, UpdateCustomAttributeInput,
} from './directory.type';

@ArgsType()
class SearchPageArgs extends PageArgs {
  @Field({ nullable: true, description: 'Email, user name or name (users); name (groups)' }) search?: string;
}

/** tenancy: the role checked is the viewer's role in the workspace that owns the parent, not the current one. */
const owned = (ctx: Context, owner: Owner) => scopeOfOwner(ctx, 'organizations:manage', owner);

const withToken = (ctx: Context, { directory, token }: Awaited<ReturnType<typeof createDirectory>>) =>
  Object.assign(new DirectoryWithToken(), { directory: presentDirectory(directory, ctx.config.publicUrl), token });

@Resolver(() => Organization)
export class OrganizationDirectoriesResolver {
  @FieldResolver(() => [Directory], { description: 'The organization’s SCIM directories, oldest first' })
  async directories(@Root() org: Organization, @Ctx() ctx: Context) {
    const rows = await directoriesQuery(ctx.db, await owned(ctx, org), { organizationId: org.id }).orderBy('dir.id', 'ASC').getMany();
    return rows.map((d) => presentDirectory(d, ctx.config.publicUrl));
  }
}

@Resolver(() => Environment)
export class EnvironmentCustomAttributesResolver {
  @FieldResolver(() => [CustomAttribute], { description: 'Custom Directory Sync attributes, oldest first' })
  async customAttributes(@Root() environment: Environment, @Ctx() ctx: Context) {
    await environmentInScope(ctx, await owned(ctx, ownerOfEnvironment(environment)), environment.id);
    return (await listCustomAttributes(ctx.db, environment.id)).map(presentCustomAttribute);
  }

  @Mutation(() => CustomAttribute, { description: 'Defines a custom attribute (Admin, Developer)' })
  async createCustomAttribute(@Arg('input') input: CreateCustomAttributeInput, @Ctx() ctx: Context) {
    return presentCustomAttribute(await createCustomAttribute(ctx.db, scopeOf(ctx, 'environment:configure'), input.environmentId, { key: input.key, label: input.label, type: input.type as CustomAttributeType }));
  }

  @Mutation(() => CustomAttribute, { description: 'Renames a custom attribute; directory mappings follow it' })
  async updateCustomAttribute(@Arg('input') input: UpdateCustomAttributeInput, @Ctx() ctx: Context) {
    return presentCustomAttribute(await updateCustomAttribute(ctx.db, scopeOf(ctx, 'environment:configure'), input.id, input));
  }

  @Mutation(() => CustomAttribute)
  async deleteCustomAttribute(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return presentCustomAttribute(await deleteCustomAttribute(ctx.db, scopeOf(ctx, 'environment:configure'), id));
  }
}

@Resolver(() => Directory)
export class DirectoriesResolver {
  @Query(() => Directory)
  async directory(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return presentDirectory(await getDirectory(ctx.db, scopeOf(ctx, 'organizations:manage'), id), ctx.config.publicUrl);
  }

  @FieldResolver(() => Organization)
  async organization(@Root() directory: Directory, @Ctx() ctx: Context) {
    await owned(ctx, directory);
    return presentOrganization((await ctx.loaders.organization.load(directory.organizationId))!);
  }

  @FieldResolver(() => DirectoryUserConnection, { complexity: connectionComplexity })
  async users(@Root() directory: Directory, @Args() args: SearchPageArgs, @Ctx() ctx: Context) {
    return paginate(directoryUsersQuery(ctx.db, await owned(ctx, directory), { directoryId: directory.id, search: args.search }), args, presentDirectoryUser, 'ASC');
  }

  @FieldResolver(() => DirectoryGroupConnection, { complexity: connectionComplexity })
  async groups(@Root() directory: Directory, @Args() args: SearchPageArgs, @Ctx() ctx: Context) {
    return paginate(directoryGroupsQuery(ctx.db, await owned(ctx, directory), { directoryId: directory.id, search: args.search }), args, presentDirectoryGroup, 'ASC');
  }

  @FieldResolver(() => ScimRequestConnection, { complexity: connectionComplexity, description: 'SCIM requests, newest first' })
  async scimRequests(@Root() directory: Directory, @Args() args: PageArgs, @Ctx() ctx: Context) {
    await owned(ctx, directory);
    const query = ctx.db.getRepository(ScimRequestEntity).createQueryBuilder('r').where('r.directory_id = :id', { id: directory.id });
    return paginate(query, args, presentScimRequest, 'DESC');
  }

  @FieldResolver(() => [CustomAttributeMapping], { description: 'Every custom attribute of the environment and its path for this directory' })
  async attributeMappings(@Root() directory: Directory, @Ctx() ctx: Context) {
    await owned(ctx, directory);
    const attributes = await listCustomAttributes(ctx.db, directory.environmentId);
    return attributes.map((a) => Object.assign(new CustomAttributeMapping(), { customAttribute: presentCustomAttribute(a), path: directory.customAttributeMappings[a.id] ?? null }));
  }

  @FieldResolver(() => [RawAttributePath], { description: 'Paths seen in this directory’s raw user data, with a sample value each' })
  async rawAttributePaths(@Root() directory: Directory, @Ctx() ctx: Context) {
    return (await rawAttributePaths(ctx.db, await owned(ctx, directory), directory.id)).map((p) => Object.assign(new RawAttributePath(), p));
  }

  @Mutation(() => DirectoryWithToken, { description: 'Creates a SCIM directory; its bearer token is in this response only' })
  async createDirectory(@Arg('input') input: CreateDirectoryInput, @Ctx() ctx: Context) {
    return withToken(ctx, await createDirectory(ctx.db, scopeOf(ctx, 'organizations:manage'), input.organizationId, input));
  }

  @Mutation(() => DirectoryWithToken, { description: 'Replaces the bearer token; the old one stops working at once' })
  async rotateDirectoryToken(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return withToken(ctx, await rotateDirectoryToken(ctx.db, scopeOf(ctx, 'organizations:manage'), id));
  }

  @Mutation(() => Directory, { description: 'Deletes a directory with its users and groups' })
  async deleteDirectory(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return presentDirectory(await deleteDirectory(ctx.db, scopeOf(ctx, 'organizations:manage'), id), ctx.config.publicUrl);
  }

  @Mutation(() => Directory, { description: 'Maps a custom attribute to a path in this directory’s raw data (null unmaps it); every user is updated' })
  async mapCustomAttribute(@Arg('directoryId', () => ID) directoryId: string, @Arg('customAttributeId', () => ID) customAttributeId: string, @Arg('path', () => String, { nullable: true }) path: string | null, @Ctx() ctx: Context) {
    return presentDirectory(await mapCustomAttribute(ctx.db, scopeOf(ctx, 'organizations:manage'), directoryId, customAttributeId, path), ctx.config.publicUrl);
  }
}

@Resolver(() => DirectoryUser)
export class DirectoryUsersResolver {
  @Query(() => DirectoryUser)
  async directoryUser(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return presentDirectoryUser(await getDirectoryUser(ctx.db, scopeOf(ctx, 'organizations:manage'), id));
  }

  @FieldResolver(() => [DirectoryGroup])
  async groups(@Root() user: DirectoryUser, @Ctx() ctx: Context) {
    await owned(ctx, user);
    return (await ctx.loaders.directoryUserGroups.load(user.id)).map(presentDirectoryGroup);
  }

  @FieldResolver(() => Directory)
  async directory(@Root() user: DirectoryUser, @Ctx() ctx: Context) {
    return presentDirectory(await getDirectory(ctx.db, await owned(ctx, user), user.directoryId), ctx.config.publicUrl);
  }
}

