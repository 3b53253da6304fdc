import { Arg, Ctx, Field, FieldResolver, InputType, Int, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { CARD_BRAND_LABELS, type CardBrand } from '@portico/shared';
import { requirePermissionIn, type Context } from '../../context';
import { Environment } from '../environments/environment.type';
import { Workspace } from '../workspace/workspace.type';
import type { WorkspaceBillingEntity } from './billing.entity';
import { BILLING_REQUIRED_MESSAGE, getBilling, isLocked, setBilling, updateBillingAddress } from './billing.service';

@ObjectType('BillingCard', { description: 'The card on file, as a receipt shows it; the number itself is never stored' })
class BillingCard {
  @Field() brand: string;
  @Field() brandLabel: string;
  @Field() last4: string;
  @Field(() => Int) expMonth: number;
  @Field(() => Int) expYear: number;
}

@ObjectType('Billing')
class Billing {
  @Field() companyName: string;
  @Field() addressLine1: string;
  @Field(() => String, { nullable: true }) addressLine2: string | null;
  @Field() city: string;
  @Field() postalCode: string;
  @Field(() => String, { nullable: true }) region: string | null;
  @Field() country: string;
  @Field(() => BillingCard) card: BillingCard;
  @Field() updatedAt: Date;
}

const present = (b: WorkspaceBillingEntity) =>
  Object.assign(new Billing(), {
    companyName: b.companyName, addressLine1: b.addressLine1, addressLine2: b.addressLine2, city: b.city, postalCode: b.postalCode, region: b.region, country: b.country,
    card: Object.assign(new BillingCard(), { brand: b.cardBrand, brandLabel: CARD_BRAND_LABELS[b.cardBrand as CardBrand] ?? b.cardBrand, last4: b.cardLast4, expMonth: b.cardExpMonth, expYear: b.cardExpYear }),
    updatedAt: b.updatedAt,
  });

@InputType()
class BillingAddressInput {
  @Field() companyName: string;
  @Field() addressLine1: string;
  @Field(() => String, { nullable: true }) addressLine2?: string | null;
  @Field() city: string;
  @Field() postalCode: string;
  @Field(() => String, { nullable: true }) region?: string | null;
  @Field({ description: 'ISO 3166-1 alpha-2, e.g. US' }) country: string;
}

@InputType({ description: 'Validated, passed to the payment provider, and never stored or logged' })
class CardInputType {
  @Field() number: string;
  @Field(() => Int) expMonth: number;
  @Field(() => Int) expYear: number;
  @Field() cvc: string;
}

@InputType()
class SetBillingInput {
  @Field(() => BillingAddressInput) address: BillingAddressInput;
  @Field(() => CardInputType) card: CardInputType;
}

@Resolver(() => Workspace)
export class BillingResolver {
  @FieldResolver(() => Billing, { nullable: true, description: 'Billing address and card (Admins)' })
  async billing(@Root() workspace: Workspace, @Ctx() ctx: Context) {
    // The role in THIS workspace: an Admin elsewhere who is Support here must not read this workspace's card.
    const seat = await requirePermissionIn(ctx, workspace.id, 'billing:manage');
    const billing = await getBilling(ctx.db, seat.workspaceId);
    return billing ? present(billing) : null;
  }

  @FieldResolver(() => Boolean, { description: 'Whether billing is set up (which unlocks Production); every member can see this' })
  async billingConfigured(@Root() workspace: Workspace, @Ctx() ctx: Context): Promise<boolean> {
    await requirePermissionIn(ctx, workspace.id, 'team:view');
    return (await ctx.loaders.workspaceBilling.load(workspace.id)) !== null;
  }

  @Mutation(() => Billing, { description: 'Sets the billing address and card; unlocks Production (Admins)' })
  async setBilling(@Arg('input') input: SetBillingInput, @Ctx() ctx: Context) {
    return present(await setBilling(ctx, input));
  }

  @Mutation(() => Billing, { description: 'Changes the billing address (Admins)' })
  async updateBillingAddress(@Arg('address') address: BillingAddressInput, @Ctx() ctx: Context) {
    return present(await updateBillingAddress(ctx, address));
  }
}

@Resolver(() => Environment)
export class EnvironmentLockResolver {
  @FieldResolver(() => Boolean, { description: 'Production is locked until the workspace has billing' })
  locked(@Root() environment: Environment, @Ctx() ctx: Context): Promise<boolean> {
    return isLocked(environment, async (workspaceId) => (await ctx.loaders.workspaceBilling.load(workspaceId)) !== null);
  }

  @FieldResolver(() => String, { nullable: true })
  async lockedReason(@Root() environment: Environment, @Ctx() ctx: Context): Promise<string | null> {
    return (await this.locked(environment, ctx)) ? BILLING_REQUIRED_MESSAGE : null;
  }
}
