import type { DataSource } from 'typeorm';
import { cardProblems, type CardInput, type FieldError } from '@portico/shared';
import { requirePermission, type Context } from '../../context';
import { ForbiddenError, ValidationError } from '../../errors';
import type { EnvironmentEntity } from '../environments/environment.entity';
import { WorkspaceBillingEntity } from './billing.entity';
import { localPaymentProvider, type PaymentProvider } from './payment-provider';

export interface BillingAddressInput {
  companyName: string;
  addressLine1: string;
  addressLine2?: string | null;
  city: string;
  postalCode: string;
  region?: string | null;
  country: string;
}

function addressProblems(a: BillingAddressInput): FieldError[] {
  const problems: FieldError[] = [];
  const required: [keyof BillingAddressInput, string][] = [['companyName', 'the company name'], ['addressLine1', 'the street address'], ['city', 'the city'], ['postalCode', 'the postal code']];
  for (const [field, what] of required) {
    const value = (a[field] ?? '').trim();
    if (!value) problems.push({ field: `address.${field}`, code: 'required', message: `Enter ${what}.` });
    else if (value.length > 200) problems.push({ field: `address.${field}`, code: 'too_long', message: 'Use at most 200 characters.' });
  }
  if (!/^[A-Z]{2}$/.test(a.country?.trim().toUpperCase() ?? '')) problems.push({ field: 'address.country', code: 'invalid_country', message: 'Choose a country (two-letter ISO code, e.g. US, FR).' });
  return problems;
}

const clean = (a: BillingAddressInput) => ({
  companyName: a.companyName.trim(), addressLine1: a.addressLine1.trim(), addressLine2: a.addressLine2?.trim() || null, city: a.city.trim(),
  postalCode: a.postalCode.trim(), region: a.region?.trim() || null, country: a.country.trim().toUpperCase(),
});

export async function getBilling(db: DataSource, workspaceId: string): Promise<WorkspaceBillingEntity | null> {
  return db.getRepository(WorkspaceBillingEntity).findOneBy({ workspaceId });
}

/**
 * Sets (or replaces) the billing address and card; Admins only. The card is validated (Luhn, brand, expiry, CVC),
 * handed to the payment provider, and forgotten: only its token, brand, last four and expiry are kept.
 */
export async function setBilling(ctx: Context, input: { address: BillingAddressInput; card: CardInput }, provider: PaymentProvider = localPaymentProvider): Promise<WorkspaceBillingEntity> {
  const seat = requirePermission(ctx, 'billing:manage');
  const problems = [...addressProblems(input.address), ...cardProblems(input.card)];
  if (problems.length) throw new ValidationError(problems);
  const card = await provider.tokenize(input.card);
  const row = Object.assign(new WorkspaceBillingEntity(), {
    workspaceId: seat.workspaceId, ...clean(input.address), cardBrand: card.brand, cardLast4: card.last4, cardExpMonth: input.card.expMonth,
    cardExpYear: input.card.expYear < 100 ? 2000 + input.card.expYear : input.card.expYear, paymentToken: card.token, updatedById: ctx.viewer!.user.id, updatedAt: new Date(),
  });
  await ctx.db.getRepository(WorkspaceBillingEntity).upsert(row, ['workspaceId']);
  ctx.loaders.workspaceBilling.clear(seat.workspaceId); // later fields of this operation see Production unlocked
  return (await getBilling(ctx.db, seat.workspaceId))!;
}

/** Changes the address only; billing must be set first. */
export async function updateBillingAddress(ctx: Context, address: BillingAddressInput): Promise<WorkspaceBillingEntity> {
  const seat = requirePermission(ctx, 'billing:manage');
  const problems = addressProblems(address);
  if (problems.length) throw new ValidationError(problems);
  const current = await getBilling(ctx.db, seat.workspaceId);
  if (!current) throw ValidationError.field('card', 'billing_not_set', 'Add a card first.');
  await ctx.db.getRepository(WorkspaceBillingEntity).update({ workspaceId: seat.workspaceId }, { ...clean(address), updatedById: ctx.viewer!.user.id, updatedAt: new Date() });
  return (await getBilling(ctx.db, seat.workspaceId))!;
}

export const BILLING_REQUIRED_MESSAGE = 'Production is locked until an Admin sets up billing (Workspace → Billing)';

/**
 * Production stays locked until the workspace has billing; Staging never is.
 * `hasBilling` is only asked for Production, so Staging costs no query.
 */
export async function isLocked(environment: Pick<EnvironmentEntity, 'kind' | 'workspaceId'>, hasBilling: (workspaceId: string) => Promise<boolean>): Promise<boolean> {
  return environment.kind === 'PRODUCTION' && !(await hasBilling(environment.workspaceId));
}

/** Refuses any work in a locked Production environment: FORBIDDEN with reason billing_required. */
export async function assertUnlocked(db: DataSource, environment: Pick<EnvironmentEntity, 'kind' | 'workspaceId'>): Promise<void> {
  const hasBilling = (workspaceId: string) => db.getRepository(WorkspaceBillingEntity).existsBy({ workspaceId });
  if (await isLocked(environment, hasBilling)) throw new ForbiddenError(BILLING_REQUIRED_MESSAGE, 'billing_required');
}
