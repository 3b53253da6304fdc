import { normalizeEmail, passwordProblems } from '@portico/shared';
import type { EntityManager } from 'typeorm';
import type { Context } from '../../context';
import { ConflictError, UnauthenticatedError, ValidationError } from '../../errors';
import { newId } from '../../lib/ids';
import { createWorkspaceWithEnvironments } from '../workspace/workspace.service';
import { consumeRateLimit, resetRateLimit, SIGN_IN_LIMITS, SIGN_UP_LIMITS } from '../rate-limits/rate-limits.service';
import { DEFAULT_NOTIFICATION_SETTINGS, UserEntity } from '../users/user.entity';
import type { SignInInput, SignUpInput } from './accounts.inputs';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './password';
import { startSession } from './sessions.service';

/** Creates a dashboard user inside `manager`'s transaction; refuses a taken email and a weak password. */
export async function createUser(manager: EntityManager, input: { name: string; email: string; password: string }): Promise<UserEntity> {
  const email = normalizeEmail(input.email);
  const problems = passwordProblems(input.password, email);
  if (problems.length) throw new ValidationError(problems);
  const users = manager.getRepository(UserEntity);
  if (await users.existsBy({ email })) throw new ConflictError('An account with this email already exists. Sign in instead.', 'email');
  const user = users.create({
    id: newId('user'),
    email,
    name: input.name.trim(),
    passwordHash: await hashPassword(input.password),
    theme: 'SYSTEM',
    notificationSettings: DEFAULT_NOTIFICATION_SETTINGS,
  });
  await users.insert(user);
  return user;
}

/** Sign up, rate-limited per client IP: the user, their workspace with Staging and Production, their Admin seat, and a session (its token returned). */
export async function signUp(ctx: Context, input: SignUpInput): Promise<string> {
  // Counted before validation: refused attempts cost the same, so the limit can't be probed for free.
  await consumeRateLimit(ctx.db, `sign-up:ip:${ctx.ip}`, SIGN_UP_LIMITS.perIp);
  return ctx.db.transaction(async (manager) => {
    const user = await createUser(manager, input);
    const { workspace } = await createWorkspaceWithEnvironments(manager, { name: input.workspaceName.trim(), adminUserId: user.id });
    return startSession(ctx, user.id, workspace.id, manager);
  });
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
