import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { scopeOf, scopeOfOwner, ownerOfEnvironment, environmentInScope } from '../environments/access-scope';
import { Environment } from '../environments/environment.type';
import {
  getAdminPortalSettings, listOAuthProviders, oauthCallbackUrl, updateAdminPortalSettings, updateOAuthProvider, type OAuthProvider, type OAuthProviderRow,
} from './configuration.service';

@ObjectType('OAuthProviderSettings', { description: 'An OAuth provider of the environment; secrets are write-only' })
class OAuthProviderSettings {
  @Field({ description: 'GoogleOAuth, MicrosoftOAuth, GitHubOAuth or AppleOAuth' }) provider: string;
  @Field() enabled: boolean;
  @Field(() => String, { nullable: true }) clientId: string | null;
  @Field({ description: 'Whether a client secret is stored (it is never shown)' }) clientSecretSet: boolean;
  @Field(() => String, { nullable: true }) appleTeamId: string | null;
  @Field(() => String, { nullable: true }) appleKeyId: string | null;
  @Field() applePrivateKeySet: boolean;
  @Field({ description: 'Microsoft only: who may sign in — common, organizations, consumers, or one tenant (its ID or domain)' }) microsoftTenant: string;
  @Field({ description: 'Register this redirect URI with the provider' }) redirectUri: string;
}

@ObjectType('AdminPortalSettings')
class AdminPortalSettingsType {
  @Field(() => String, { nullable: true, description: 'Where the Admin Portal sends IT admins when they are done (https)' }) redirectUrl: string | null;
  @Field(() => String, { nullable: true }) displayName: string | null;
  @Field(() => String, { nullable: true }) logoUrl: string | null;
  @Field(() => String, { nullable: true }) brandColor: string | null;
}

@InputType()
class UpdateOAuthProviderInput {
  @Field(() => ID) environmentId: string;
  @Field() provider: string;
  @Field({ nullable: true }) enabled?: boolean;
  @Field(() => String, { nullable: true }) clientId?: string | null;
  @Field({ nullable: true, description: 'Write-only' }) clientSecret?: string;
  @Field(() => String, { nullable: true }) appleTeamId?: string | null;
  @Field(() => String, { nullable: true }) appleKeyId?: string | null;
  @Field({ nullable: true, description: 'Write-only: the .p8 key' }) applePrivateKey?: string;
  @Field({ nullable: true, description: 'Microsoft only: common, organizations, consumers, or a tenant ID or domain' }) microsoftTenant?: string;
}

@InputType()
class UpdateAdminPortalInput {
  @Field(() => ID) environmentId: string;
  @Field(() => String, { nullable: true }) redirectUrl?: string | null;
  @Field(() => String, { nullable: true }) displayName?: string | null;
  @Field(() => String, { nullable: true }) logoUrl?: string | null;
  @Field(() => String, { nullable: true }) brandColor?: string | null;
}

const present = (row: OAuthProviderRow, publicUrl: string) => Object.assign(new OAuthProviderSettings(), {
  provider: row.provider, enabled: row.enabled, clientId: row.client_id, clientSecretSet: row.client_secret_sealed !== null,
  appleTeamId: row.apple_team_id, appleKeyId: row.apple_key_id, applePrivateKeySet: row.apple_private_key_sealed !== null, microsoftTenant: row.microsoft_tenant ?? 'common', redirectUri: oauthCallbackUrl(publicUrl),
});

@Resolver(() => Environment)
export class ConfigurationResolver {
  @FieldResolver(() => [OAuthProviderSettings], { description: 'Google, Microsoft, GitHub and Apple sign-in settings (Admin, Developer)' })
  async oauthProviders(@Root() environment: Environment, @Ctx() ctx: Context) {
    await environmentInScope(ctx, await scopeOfOwner(ctx, 'environment:configure', ownerOfEnvironment(environment)), environment.id);
    return (await listOAuthProviders(ctx.db, environment.id)).map((r) => present(r, ctx.config.publicUrl));
  }

  @FieldResolver(() => AdminPortalSettingsType)
  async adminPortal(@Root() environment: Environment, @Ctx() ctx: Context) {
    await environmentInScope(ctx, await scopeOfOwner(ctx, 'environment:configure', ownerOfEnvironment(environment)), environment.id);
    return Object.assign(new AdminPortalSettingsType(), await getAdminPortalSettings(ctx.db, environment.id));
  }

  @Mutation(() => OAuthProviderSettings, { description: 'Saves an OAuth provider; secrets are encrypted at rest and never returned (Admin, Developer)' })
  async updateOAuthProvider(@Arg('input') input: UpdateOAuthProviderInput, @Ctx() ctx: Context) {
    const { environmentId, provider, ...rest } = input;
    return present(await updateOAuthProvider(ctx.db, ctx.secrets, scopeOf(ctx, 'environment:configure'), environmentId, { provider: provider as OAuthProvider, ...rest }), ctx.config.publicUrl);
  }

  @Mutation(() => AdminPortalSettingsType, { description: 'The Admin Portal redirect link and branding (Admin, Developer)' })
  async updateAdminPortalSettings(@Arg('input') input: UpdateAdminPortalInput, @Ctx() ctx: Context) {
    const { environmentId, ...rest } = input;
    return Object.assign(new AdminPortalSettingsType(), await updateAdminPortalSettings(ctx.db, scopeOf(ctx, 'environment:configure'), environmentId, rest));
  }
}
