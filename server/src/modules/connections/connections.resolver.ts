import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { scopeOf, scopeOfOwner } from '../environments/access-scope';
import { Organization, presentOrganization } from '../organizations/organization.type';
import { CertificateUseType, CreateOidcConnectionInput, CreateSamlConnectionInput, UpdateOidcConnectionInput, CreateSsoConnectionInput, presentConnection, SsoConnection, UpdateSamlConnectionInput, UpdateSsoConnectionInput } from './connection.type';
import {
  certificateUsage, createSamlConnection, deleteConnection, generateSpEncryptionKey, getConnection, promoteSpEncryptionKey, removeSpEncryptionKey, setConnectionEnabled, updateSamlConnection,
} from './connections.service';
import { createOidcConnection, updateOidcConnection } from './oidc-connections.service';

@Resolver(() => Organization)
export class OrganizationConnectionsResolver {
  @FieldResolver(() => [SsoConnection], { description: 'The organization’s SSO connections, oldest first' })
  async ssoConnections(@Root() org: Organization, @Ctx() ctx: Context) {
    // tenancy: the role checked is the viewer's role in the workspace that owns `org`, not the current one
    await scopeOfOwner(ctx, 'organizations:manage', org);
    return (await ctx.loaders.organizationConnections.load(org.id)).map((c) => presentConnection(c, ctx.config.publicUrl));
  }

  @FieldResolver(() => [SsoConnection], { description: 'The organization’s SSO connections, oldest first', deprecationReason: 'Use ssoConnections' })
  connections(@Root() org: Organization, @Ctx() ctx: Context) {
    return this.ssoConnections(org, ctx);
  }
}

@Resolver(() => SsoConnection)
export class ConnectionsResolver {
  @Query(() => SsoConnection, { description: 'An SSO connection of your workspace (or of the API key’s environment)' })
  async ssoConnection(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return presentConnection(await getConnection(ctx.db, scopeOf(ctx, 'organizations:manage'), id), ctx.config.publicUrl);
  }

  @FieldResolver(() => Organization)
  async organization(@Root() connection: SsoConnection, @Ctx() ctx: Context) {
    await scopeOfOwner(ctx, 'organizations:manage', connection);
    return presentOrganization((await ctx.loaders.organization.load(connection.organizationId))!);
  }

  @Mutation(() => SsoConnection, { description: 'Creates a SAML connection from IdP metadata (XML or URL) or by hand' })
  async createSsoConnection(@Arg('input') input: CreateSsoConnectionInput, @Ctx() ctx: Context) {
    const { organizationId, ...rest } = input;
    return presentConnection(await createSamlConnection(ctx, scopeOf(ctx, 'organizations:manage'), organizationId, rest), ctx.config.publicUrl);
  }

  @Mutation(() => SsoConnection, { description: 'Changes the given fields of a connection' })
  async updateSsoConnection(@Arg('input') input: UpdateSsoConnectionInput, @Ctx() ctx: Context) {
    const { id, ...rest } = input;
    return presentConnection(await updateSamlConnection(ctx, scopeOf(ctx, 'organizations:manage'), id, rest), ctx.config.publicUrl);
  }

  @Mutation(() => SsoConnection, { description: 'Creates an OpenID Connect connection (GenericOIDC, OktaOIDC, EntraIdOIDC) from the IdP’s discovery URL or its endpoints by hand' })
  async createOidcConnection(@Arg('input') input: CreateOidcConnectionInput, @Ctx() ctx: Context) {
    const { organizationId, ...rest } = input;
    return presentConnection(await createOidcConnection(ctx, scopeOf(ctx, 'organizations:manage'), organizationId, rest), ctx.config.publicUrl);
  }

  @Mutation(() => SsoConnection, { description: 'Changes the given fields of an OpenID Connect connection; a new client secret replaces the stored one' })
  async updateOidcConnection(@Arg('input') input: UpdateOidcConnectionInput, @Ctx() ctx: Context) {
    const { id, ...rest } = input;
    return presentConnection(await updateOidcConnection(ctx, scopeOf(ctx, 'organizations:manage'), id, rest), ctx.config.publicUrl);
  }

  @Mutation(() => SsoConnection, { description: 'Turns sign-in through the connection on or off' })
  async setSsoConnectionEnabled(@Arg('id', () => ID) id: string, @Arg('enabled') enabled: boolean, @Ctx() ctx: Context) {
    return presentConnection(await setConnectionEnabled(ctx.db, scopeOf(ctx, 'organizations:manage'), id, enabled), ctx.config.publicUrl);
  }

  @FieldResolver(() => [CertificateUseType], { description: 'Which IdP signing and SP encryption certificates successful sign-ins used in the last 30 days, most recent first' })
  async certificateUsage(@Root() connection: SsoConnection, @Ctx() ctx: Context) {
    await scopeOfOwner(ctx, 'organizations:manage', connection);
    return ((await certificateUsage(ctx.db, [connection.id])).get(connection.id) ?? []).map((u) => Object.assign(new CertificateUseType(), u));
  }

  @Mutation(() => SsoConnection, { description: 'Creates the SP key pair IdPs encrypt assertions to, or, when the connection has one, the next key pair of a rollover (published beside it; promoteSpEncryptionKey makes it current). The private key never leaves Portico' })
  async generateSpEncryptionKey(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return presentConnection(await generateSpEncryptionKey(ctx, scopeOf(ctx, 'organizations:manage'), id), ctx.config.publicUrl);
  }

  @Mutation(() => SsoConnection, { description: 'Makes the next SP encryption key current (once the IdP encrypts to it); the previous key is discarded' })
  async promoteSpEncryptionKey(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return presentConnection(await promoteSpEncryptionKey(ctx.db, scopeOf(ctx, 'organizations:manage'), id), ctx.config.publicUrl);
  }

  @Mutation(() => SsoConnection, { description: 'Removes the SP encryption keys, or with next: true only the next key of a rollover' })
  async removeSpEncryptionKey(@Arg('id', () => ID) id: string, @Arg('next', { nullable: true, defaultValue: false }) next: boolean, @Ctx() ctx: Context) {
    return presentConnection(await removeSpEncryptionKey(ctx.db, scopeOf(ctx, 'organizations:manage'), id, next ? 'next' : 'all'), ctx.config.publicUrl);
  }

  @Mutation(() => SsoConnection, { description: 'Deletes a connection and its sessions' })
  async deleteSsoConnection(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return presentConnection(await deleteConnection(ctx.db, scopeOf(ctx, 'organizations:manage'), id), ctx.config.publicUrl);
  }

  // The names before the API was public, kept working: each is its new name's resolver.
  @Query(() => SsoConnection, { deprecationReason: 'Use ssoConnection' })
  connection(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return this.ssoConnection(id, ctx);
  }

  @Mutation(() => SsoConnection, { deprecationReason: 'Use createSsoConnection' })
  createSamlConnection(@Arg('input') input: CreateSamlConnectionInput, @Ctx() ctx: Context) {
    return this.createSsoConnection(input, ctx);
  }

  @Mutation(() => SsoConnection, { deprecationReason: 'Use updateSsoConnection' })
  updateSamlConnection(@Arg('input') input: UpdateSamlConnectionInput, @Ctx() ctx: Context) {
    return this.updateSsoConnection(input, ctx);
  }

  @Mutation(() => SsoConnection, { deprecationReason: 'Use setSsoConnectionEnabled' })
  setConnectionEnabled(@Arg('id', () => ID) id: string, @Arg('enabled') enabled: boolean, @Ctx() ctx: Context) {
    return this.setSsoConnectionEnabled(id, enabled, ctx);
  }

  @Mutation(() => SsoConnection, { deprecationReason: 'Use deleteSsoConnection' })
  deleteConnection(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return this.deleteSsoConnection(id, ctx);
  }
}
