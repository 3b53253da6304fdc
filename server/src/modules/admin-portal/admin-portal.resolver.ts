import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, registerEnumType, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { scopeOf, scopeOfOwner } from '../environments/access-scope';
import { Organization } from '../organizations/organization.type';
import { listPortalActions } from './portal-actions.service';
import { invitePortalAdmin, listPortalInvites, type PortalLinkRow } from './portal-invites.service';
import { revokePortalLink } from './portal-links.service';

export const PortalIntentEnum = { SSO: 'sso', DSYNC: 'dsync', DOMAIN_VERIFICATION: 'domain_verification', CERTIFICATE_RENEWAL: 'certificate_renewal' } as const;
registerEnumType(PortalIntentEnum, { name: 'PortalIntent', description: 'What an Admin Portal link lets the IT admin set up' });

@ObjectType({ description: 'An Admin Portal setup link sent to an IT admin (valid 30 days or until setup completes; revocable)' })
export class PortalLink {
  @Field(() => ID) id: string;
  @Field(() => PortalIntentEnum) intent: string;
  @Field(() => String, { description: 'ACTIVE, EXPIRED, REVOKED or COMPLETED' }) status: string;
  @Field(() => String, { nullable: true, description: 'Who the link was emailed to' }) sentTo: string | null;
  @Field(() => String, { nullable: true, description: 'Who created it' }) createdBy: string | null;
  @Field() createdAt: Date;
  @Field() expiresAt: Date;
  @Field(() => Date, { nullable: true }) openedAt: Date | null;
}

@ObjectType({ description: 'A step taken in or about the Admin Portal, for the organization’s audit trail' })
export class PortalActionType {
  @Field(() => ID) id: string;
  @Field(() => PortalIntentEnum) intent: string;
  @Field(() => String, { description: 'link_generated, invite_created, invite_emailed, link_opened, link_revoked, connection_created, connection_configured, test_sign_in_started, test_sign_in_succeeded, test_sign_in_failed, directory_created, directory_provider_changed, directory_token_rotated, attribute_mapped, domain_added, domain_verified, domain_verification_failed, setup_completed' }) action: string;
  @Field(() => String, { nullable: true, description: 'A dashboard user’s email, an API key ID, or the IT admin’s email when known' }) actor: string | null;
  @Field(() => String, { nullable: true, description: 'What the step was about, when it names something: the domain of a domain step' }) subject: string | null;
  @Field() createdAt: Date;
}

@ObjectType({ description: 'A new setup link; `link` is shown once' })
export class PortalInvite {
  @Field(() => String) link: string;
  @Field(() => PortalLink) portalLink: PortalLink;
}

@InputType()
export class InvitePortalAdminInput {
  @Field(() => ID) organizationId: string;
  @Field(() => PortalIntentEnum) intent: string;
  @Field(() => String, { nullable: true, description: 'Emails the link to this IT admin (reply-to: the team’s support email)' }) email?: string | null;
}

const present = (row: PortalLinkRow) => Object.assign(new PortalLink(), row);

@Resolver(() => Organization)
export class AdminPortalResolver {
  @FieldResolver(() => [PortalLink], { description: 'Admin Portal setup links sent from the dashboard, newest first' })
  async portalLinks(@Root() org: Organization, @Ctx() ctx: Context) {
    return (await listPortalInvites(ctx.db, await scopeOfOwner(ctx, 'organizations:manage', org), org.id)).map(present);
  }

  @FieldResolver(() => [PortalActionType], { description: 'The Admin Portal audit trail: the latest 100 steps, newest first' })
  async portalActions(@Root() org: Organization, @Ctx() ctx: Context) {
    return (await listPortalActions(ctx.db, await scopeOfOwner(ctx, 'organizations:manage', org), org.id)).map((a) => Object.assign(new PortalActionType(), a, { subject: typeof a.detail.domain === 'string' ? a.detail.domain : null }));
  }

  @Mutation(() => PortalInvite, { description: 'Invites an IT admin: a setup link for one intent (replacing the live one), optionally emailed' })
  async invitePortalAdmin(@Arg('input') input: InvitePortalAdminInput, @Ctx() ctx: Context) {
    const scope = scopeOf(ctx, 'organizations:manage');
    const created = await invitePortalAdmin(ctx, scope, { organizationId: input.organizationId, intent: input.intent, email: input.email ?? null, actor: ctx.viewer?.user.email ?? ctx.apiKey?.apiKeyId ?? null });
    return Object.assign(new PortalInvite(), { link: created.link, portalLink: present(created.row) });
  }

  @Mutation(() => Boolean, { description: 'Revokes a setup link and ends the portal sessions it opened' })
  async revokePortalLink(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return revokePortalLink(ctx.db, scopeOf(ctx, 'organizations:manage'), id, ctx.viewer?.user.email ?? ctx.apiKey?.apiKeyId ?? null);
  }
}
