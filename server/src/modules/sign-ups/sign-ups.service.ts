import { dashboardRoutes, normalizeEmail, passwordProblems, SIGN_UP_CONFIRMATION_TTL_HOURS } from '@portico/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { Context } from '../../context';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors';
import { logger, printNotice } from '../../lib/logger';
import { hashToken, newSecretToken } from '../../lib/tokens';
import { insertUser } from '../accounts/accounts.service';
import { hashPassword, verifyPassword } from '../accounts/password';
import { startSession } from '../accounts/sessions.service';
import { signUpAttemptEmail, signUpConfirmationEmail } from '../email/templates';
import { consumeRateLimit, SIGN_UP_LIMITS } from '../rate-limits/rate-limits.service';
import { UserEntity } from '../users/user.entity';
import { createWorkspaceWithEnvironments } from '../workspace/workspace.service';
import { ensureTestIdentityProvider } from '../test-idp/test-idp.service';
import type { SignUpInput } from './sign-ups.inputs';
import type { SignUpRequested } from './sign-up.type';
import { PendingSignUpEntity } from './pending-sign-up.entity';

const TTL_MS = SIGN_UP_CONFIRMATION_TTL_HOURS * 3_600_000;

/**
 * Starts a sign-up, rate-limited per client IP and per email. The answer is the same whether or not the address
 * has an account, so sign-up can't be used to learn who uses Portico: both branches hash the password and send
 * one email; only the mailbox learns which email it was. A new address gets a confirmation link (the account is
 * created by confirmSignUp); an existing account gets "someone tried to sign up with your address".
 */
export async function requestSignUp(ctx: Context, input: SignUpInput): Promise<SignUpRequested> {
  // Counted before validation: refused attempts cost the same, so the limit can't be probed for free.
  await consumeRateLimit(ctx.db, `sign-up:ip:${ctx.ip}`, SIGN_UP_LIMITS.perIp);
  const email = normalizeEmail(input.email);
  // The password rules depend only on what was typed, never on the account: safe to answer at once.
  const problems = passwordProblems(input.password, email);
  if (problems.length) throw new ValidationError(problems);
  await consumeRateLimit(ctx.db, `sign-up:email:${email}`, SIGN_UP_LIMITS.perEmail);
  const passwordHash = await hashPassword(input.password);
  const taken = await ctx.db.getRepository(UserEntity).existsBy({ email });
  if (taken) {
    await deliver(ctx, email, signUpAttemptEmail({ signInLink: `${ctx.config.publicUrl}${dashboardRoutes.signIn}` }),
      `Sign-up attempted for ${email}, which already has an account: no link was made; sign in instead.`);
  } else {
    const token = newSecretToken();
    await ctx.db.getRepository(PendingSignUpEntity).insert({
      tokenHash: hashToken(token), email, name: input.name.trim(), workspaceName: input.workspaceName.trim(), passwordHash,
      expiresAt: new Date(Date.now() + TTL_MS), confirmedAt: null,
    });
    const link = `${ctx.config.publicUrl}${dashboardRoutes.confirmSignUp(token)}`;
    await deliver(ctx, email, signUpConfirmationEmail({ name: input.name.trim(), workspace: input.workspaceName.trim(), link, hours: SIGN_UP_CONFIRMATION_TTL_HOURS }),
      `Sign-up confirmation link for ${email} (valid ${SIGN_UP_CONFIRMATION_TTL_HOURS} h): ${link}`);
  }
  return { email, linkValidForHours: SIGN_UP_CONFIRMATION_TTL_HOURS };
}

/**
 * Sends a sign-up email. Without SMTP the dev outbox is readable only by a signed-in Admin, which a new user is not,
 * so the operator's console gets `consoleLine` too. A failed send is logged, not answered: an error only one branch
 * could meet would tell the two apart.
 */
async function deliver(ctx: Context, to: string, email: { subject: string; text: string; html: string }, consoleLine: string): Promise<void> {
  try {
    await ctx.mailer.send({ workspaceId: null, to, ...email });
  } catch (err) {
    logger.error('sign-up email failed', { error: String(err) });
  }
  if (ctx.mailer.mode === 'outbox') printNotice(`  [no SMTP_URL] ${consoleLine}`);
}

/** Wrong passwords a confirmation link takes before it is void (the sign-up must start again). */
export const SIGN_UP_CONFIRM_MAX_WRONG_PASSWORDS = 5;

/**
 * Creates the account a confirmation link stands for, in one transaction: the user (the address re-checked, as it
 * may have been taken since), the workspace with Staging and Production, the Admin seat, and a session. Returns the
 * session's token. A link works once and for SIGN_UP_CONFIRMATION_TTL_HOURS.
 *
 * The link alone is not enough: it goes to the address, but the password was chosen by whoever signed up, and that
 * need not be the address's owner. Without this check someone could sign up with another person's address and a
 * password of their own, wait for the owner to click "confirm", and sign in as them (account pre-hijacking). So the
 * password chosen at sign-up must be given again, checked against its argon2id hash (constant-time) before anything
 * is created; the owner of an address they didn't sign up with can't give it, and nothing is made. Wrong passwords
 * are counted on the pending sign-up (the row stays locked, so parallel guesses queue) and the link is void after
 * SIGN_UP_CONFIRM_MAX_WRONG_PASSWORDS; attempts are also rate-limited per client IP.
 */
export async function confirmSignUp(ctx: Context, token: string, password: string): Promise<string> {
  // Counted before validation, like sign-up: refused attempts cost the same.
  await consumeRateLimit(ctx.db, `sign-up-confirm:ip:${ctx.ip}`, SIGN_UP_LIMITS.confirmPerIp);
  if (!password) throw ValidationError.field('password', 'required', 'Enter the password you chose when you signed up');
  let stagingId: string | null = null;
  const sessionToken = await ctx.db.transaction(async (manager) => {
    const pending = await lockPendingSignUp(manager, token);
    if (!(await verifyPassword(pending.passwordHash, password))) {
      // Committed, unlike everything else here: the refusal below is thrown after the transaction.
      await manager.getRepository(PendingSignUpEntity).increment({ tokenHash: pending.tokenHash }, 'wrongPasswords', 1);
      return null;
    }
    const user = await insertUser(manager, { name: pending.name, email: pending.email, passwordHash: pending.passwordHash });
    const { workspace, environments } = await createWorkspaceWithEnvironments(manager, { name: pending.workspaceName, adminUserId: user.id });
    stagingId = environments.find((e) => e.kind === 'STAGING')?.id ?? null;
    await manager.getRepository(PendingSignUpEntity).update({ tokenHash: pending.tokenHash }, { confirmedAt: new Date() });
    return startSession(ctx, user.id, workspace.id, manager);
  });
  if (sessionToken === null) throw ValidationError.field('password', 'wrong_password', "This isn't the password you chose when you signed up");
  // Staging's Test Organization and test IdP, after the commit (their key takes a moment); else made on first use.
  if (stagingId) await ensureTestIdentityProvider(ctx, stagingId).catch((err) => logger.warn('Test Organization not created at sign-up', { error: String(err) }));
  return sessionToken;
}

async function lockPendingSignUp(manager: EntityManager, token: string): Promise<PendingSignUpEntity> {
  const pending = await manager.getRepository(PendingSignUpEntity).createQueryBuilder('p').setLock('pessimistic_write')
    .where('p.token_hash = :hash', { hash: hashToken(token) }).getOne();
  if (!pending) throw new NotFoundError('Sign-up link');
  if (pending.confirmedAt) throw new ForbiddenError('This sign-up link was already used. Sign in instead.', 'sign_up_link_used');
  if (pending.wrongPasswords >= SIGN_UP_CONFIRM_MAX_WRONG_PASSWORDS) {
    throw new ForbiddenError('This sign-up link no longer works: a wrong password was entered too many times. Sign up again to get a new one.', 'sign_up_link_void');
  }
  if (pending.expiresAt <= new Date()) throw new ForbiddenError('This sign-up link has expired. Sign up again to get a new one.', 'sign_up_link_expired');
  return pending;
}

/** Forgets sign-ups a day after their link expired (until then a used or expired link is still explained as such). */
export async function purgeExpiredSignUps(db: DataSource, now = new Date()): Promise<void> {
  await db.query('DELETE FROM pending_sign_ups WHERE expires_at < $1', [new Date(now.getTime() - 86_400_000)]);
}
