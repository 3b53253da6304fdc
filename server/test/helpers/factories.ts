import { randomUUID } from 'node:crypto';
import type { Role } from '@portico/shared';
import type { DataSource } from 'typeorm';
import { newId } from '../../src/lib/ids';
import { hashToken, newSecretToken } from '../../src/lib/tokens';
import { createUser } from '../../src/modules/accounts/accounts.service';
import { DashboardSessionEntity } from '../../src/modules/accounts/dashboard-session.entity';
import { MemberEntity } from '../../src/modules/members/member.entity';
import type { UserEntity } from '../../src/modules/users/user.entity';
import { createWorkspaceWithEnvironments } from '../../src/modules/workspace/workspace.service';
import { GqlClient } from './client';

export const PASSWORD = 'correct horse battery staple';

export const uniqueEmail = (label = 'user') => `${label}-${randomUUID().slice(0, 8)}@example.com`;

export async function buildUser(db: DataSource, opts: { email?: string; name?: string } = {}): Promise<UserEntity> {
  return db.transaction((m) => createUser(m, { name: opts.name ?? 'Test User', email: opts.email ?? uniqueEmail(), password: PASSWORD }));
}

/** A workspace with its environments and an Admin (created unless given). */
export async function buildWorkspace(db: DataSource, opts: { admin?: UserEntity; name?: string } = {}) {
  const admin = opts.admin ?? (await buildUser(db, { name: 'Ada Admin' }));
  const { workspace, environments } = await db.transaction((m) => createWorkspaceWithEnvironments(m, { name: opts.name ?? 'Acme', adminUserId: admin.id }));
  const member = await db.getRepository(MemberEntity).findOneByOrFail({ workspaceId: workspace.id, userId: admin.id });
  return { workspace, environments, admin, adminMember: member };
}

export async function buildMember(db: DataSource, workspaceId: string, role: Role, user?: UserEntity) {
  const u = user ?? (await buildUser(db, { name: `${role} Person` }));
  const member = db.getRepository(MemberEntity).create({ id: newId('member'), workspaceId, userId: u.id, role });
  await db.getRepository(MemberEntity).insert(member);
  return { user: u, member };
}

/** A client already signed in as `user`, looking at `workspaceId` (a session row, no password round trip). */
export async function signedInClient(db: DataSource, baseUrl: string, user: UserEntity, workspaceId: string | null): Promise<GqlClient> {
  const token = newSecretToken();
  const now = new Date();
  await db.getRepository(DashboardSessionEntity).insert({
    tokenHash: hashToken(token), userId: user.id, workspaceId, expiresAt: new Date(now.getTime() + 86_400_000), lastSeenAt: now, ip: null, userAgent: null,
  });
  return new GqlClient(baseUrl, { cookie: `portico_session=${token}` });
}

/** A workspace with one signed-in client per role. */
export async function buildTeam(db: DataSource, baseUrl: string) {
  const base = await buildWorkspace(db);
  const developer = await buildMember(db, base.workspace.id, 'DEVELOPER');
  const support = await buildMember(db, base.workspace.id, 'SUPPORT');
  return {
    ...base,
    developer,
    support,
    as: {
      ADMIN: await signedInClient(db, baseUrl, base.admin, base.workspace.id),
      DEVELOPER: await signedInClient(db, baseUrl, developer.user, base.workspace.id),
      SUPPORT: await signedInClient(db, baseUrl, support.user, base.workspace.id),
      anonymous: new GqlClient(baseUrl),
    },
  };
}

/** Billing for a workspace, written straight to the table (unlocks Production); tests of billing itself use the mutation. */
export async function enableBilling(db: DataSource, workspaceId: string): Promise<void> {
  await db.query(
    `INSERT INTO workspace_billing (workspace_id, company_name, address_line1, city, postal_code, country, card_brand, card_last4, card_exp_month, card_exp_year, payment_token)
     VALUES ($1, 'Acme Inc', '1 Main St', 'Springfield', '12345', 'US', 'visa', '4242', 12, 2099, 'tok_test') ON CONFLICT DO NOTHING`,
    [workspaceId],
  );
}

/** The token of the newest sign-up confirmation link emailed to `email` (the dev outbox keeps sign-up mail too). */
export async function confirmationTokenFor(db: DataSource, email: string): Promise<string> {
  const rows: { text_body: string }[] = await db.query(
    `SELECT text_body FROM outbox_messages WHERE to_address = $1 AND subject LIKE 'Confirm your email%' ORDER BY id DESC LIMIT 1`, [email]);
  const match = rows[0]?.text_body.match(/confirm-sign-up\?token=([A-Za-z0-9_-]+)/);
  if (!match) throw new Error(`no sign-up confirmation emailed to ${email}`);
  return decodeURIComponent(match[1]!);
}
