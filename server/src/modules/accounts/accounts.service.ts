import { normalizeEmail, passwordProblems } from '@portico/shared';
import type { EntityManager } from 'typeorm';
import type { Context } from '../../context';
import { ConflictError, UnauthenticatedError, ValidationError } from '../../errors';
import { newId } from '../../lib/ids';
import { consumeRateLimit, resetRateLimit, SIGN_IN_LIMITS } from '../rate-limits/rate-limits.service';
import { DEFAULT_NOTIFICATION_SETTINGS, UserEntity } from '../users/user.entity';
import type { SignInInput } from './accounts.inputs';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './password';
import { startSession } from './sessions.service';

/** Creates a dashboard user inside `manager`'s transaction; refuses a weak password and a taken email. */
export async function createUser(manager: EntityManager, input: { name: string; email: string; password: string }): Promise<UserEntity> {
  const email = normalizeEmail(input.email);
  const problems = passwordProblems(input.password, email);
  if (problems.length) throw new ValidationError(problems);
  return insertUser(manager, { name: input.name, email, passwordHash: await hashPassword(input.password) });
}

/**
 * Inserts a dashboard user whose password is already hashed (a confirmed sign-up). Says "taken" only to callers
 * that have proved the mailbox (an emailed link) or are trusted (seed, tests): sign-up itself never reaches here
 * for a taken address.
 */
export async function insertUser(manager: EntityManager, input: { name: string; email: string; passwordHash: string }): Promise<UserEntity> {
  const email = normalizeEmail(input.email);
  const users = manager.getRepository(UserEntity);
  if (await users.existsBy({ email })) throw new ConflictError('An account with this email already exists. Sign in instead.', 'email');
  const user = users.create({
    id: newId('user'),
    email,
    name: input.name.trim(),
    passwordHash: input.passwordHash,
    theme: 'SYSTEM',
    notificationSettings: DEFAULT_NOTIFICATION_SETTINGS,
  });
  await users.insert(user);
  return user;
}

/** Sign in, rate-limited per email and per client IP; the same answer for an unknown email and a wrong password. */
export async function signIn(ctx: Context, input: SignInInput): Promise<string> {
  const email = normalizeEmail(input.email);
  const emailKey = `sign-in:email:${email}`;
  await consumeRateLimit(ctx.db, `sign-in:ip:${ctx.ip}`, SIGN_IN_LIMITS.perIp);
  await consumeRateLimit(ctx.db, emailKey, SIGN_IN_LIMITS.perEmail);
  const user = await ctx.db.getRepository(UserEntity).findOneBy({ email });
  if (!user) {
    await verifyAgainstDummy(input.password);
    throw new UnauthenticatedError('Email or password is incorrect');
  }
  if (!(await verifyPassword(user.passwordHash, input.password))) throw new UnauthenticatedError('Email or password is incorrect');
  await resetRateLimit(ctx.db, emailKey);
  return startSession(ctx, user.id, null);
}
