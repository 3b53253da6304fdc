import type { DataSource, EntityManager } from 'typeorm';
import { isHttpUrl, isValidEmail, normalizeEmail, type FieldError } from '@portico/shared';
import { NotFoundError, ValidationError } from '../../errors';
import { newId } from '../../lib/ids';
import { hashToken, newSecretToken } from '../../lib/tokens';
import type { AccessScope } from '../environments/access-scope';
import { getOrganization } from '../organizations/organizations.service';
import { recordPortalAction } from './portal-actions.service';

/**
 * Admin Portal links and the portal sessions they open (migration 1765700000000 describes the rules).
 *
 *   generate ─→ link (token hashed) ─(open within its life; an api link once)─→ portal session (12 h, cookie)
 *                 └─ revoked / expired / used ─→ "ask the app for a new link"
 */

export const PORTAL_INTENTS = ['sso', 'dsync', 'domain_verification', 'certificate_renewal'] as const;
export type PortalIntent = (typeof PORTAL_INTENTS)[number];
export const API_LINK_TTL_MS = 5 * 60_000;
export const INVITE_LINK_TTL_MS = 30 * 24 * 3600_000;
export const PORTAL_SESSION_TTL_MS = 12 * 3600_000;

/** What a portal session may reach: one organization, one intent. */
export interface PortalPrincipal {
  linkId: string;
  environmentId: string;
  organizationId: string;
  intent: PortalIntent;
  kind: 'api' | 'invite';
  returnUrl: string | null;
  successUrl: string | null;
  adminEmails: string[];
  expiresAt: Date;
}

export interface LinkInput {
  intent?: unknown;
  organizationId?: unknown;
  returnUrl?: unknown;
  successUrl?: unknown;
  adminEmails?: unknown;
}

export const portalLinkUrl = (publicUrl: string, token: string) => `${publicUrl}/portal/launch?token=${encodeURIComponent(token)}`;

function checkLinkInput(input: LinkInput): { intent: PortalIntent; returnUrl: string | null; successUrl: string | null; adminEmails: string[] } {
  const problems: FieldError[] = [];
  if (typeof input.intent !== 'string' || !(PORTAL_INTENTS as readonly string[]).includes(input.intent)) {
    problems.push({ field: 'intent', code: 'invalid_intent', message: `intent must be one of ${PORTAL_INTENTS.join(', ')}` });
  }
  const url = (field: 'returnUrl' | 'successUrl') => {
    const value = input[field];
    if (value === undefined || value === null || value === '') return null;
    if (typeof value !== 'string' || !isHttpUrl(value) || value.length > 2048) {
      problems.push({ field, code: 'invalid_url', message: `${field === 'returnUrl' ? 'return_url' : 'success_url'} must be an absolute http(s) URL` });
      return null;
    }
    return value;
  };
  const returnUrl = url('returnUrl');
  const successUrl = url('successUrl');
  let adminEmails: string[] = [];
  if (input.adminEmails !== undefined && input.adminEmails !== null) {
    if (!Array.isArray(input.adminEmails) || input.adminEmails.length > 20 || input.adminEmails.some((e) => typeof e !== 'string' || !isValidEmail(normalizeEmail(e)))) {
      problems.push({ field: 'adminEmails', code: 'invalid_email', message: 'admin_emails must be a list of at most 20 email addresses' });
    } else adminEmails = (input.adminEmails as string[]).map(normalizeEmail);
  }
  if (problems.length) throw new ValidationError(problems);
  return { intent: input.intent as PortalIntent, returnUrl, successUrl, adminEmails };
}

/**
 * A link for `organizationId` (inside the caller's scope). An `invite` replaces the live invite of the same
 * organization and intent (revoking it), in one transaction, so there is never more than one.
 */
export async function createPortalLink(db: DataSource, scope: AccessScope, input: LinkInput & { kind: 'api' | 'invite'; createdBy: string | null; now?: Date }) {
  if (typeof input.organizationId !== 'string' || !input.organizationId) throw ValidationError.field('organization', 'required', 'organization is required');
  const checked = checkLinkInput(input);
  // tenancy: the organization must be inside the caller's environment (API key) or workspace (dashboard)
  const org = await getOrganization(db, scope, input.organizationId);
  const now = input.now ?? new Date();
  const token = newSecretToken();
  const id = newId('portalLink');
  const expiresAt = new Date(now.getTime() + (input.kind === 'api' ? API_LINK_TTL_MS : INVITE_LINK_TTL_MS));
  await db.transaction(async (m) => {
    if (input.kind === 'invite') {
      await m.query(`UPDATE portal_links SET revoked_at = $3 WHERE organization_id = $1 AND intent = $2 AND kind = 'invite' AND revoked_at IS NULL AND completed_at IS NULL`, [org.id, checked.intent, now]);
    }
    await m.query(
      `INSERT INTO portal_links (id, environment_id, organization_id, intent, kind, token_hash, return_url, success_url, admin_emails, created_by, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [id, org.environmentId, org.id, checked.intent, input.kind, hashToken(token), checked.returnUrl, checked.successUrl, JSON.stringify(checked.adminEmails), input.createdBy, now, expiresAt],
    );
    await recordPortalAction(m, { organizationId: org.id, linkId: id, intent: checked.intent, action: input.kind === 'invite' ? 'invite_created' : 'link_generated', actor: input.createdBy });
  });
  return { id, token, expiresAt, organization: org, intent: checked.intent };
}

export type OpenLinkResult = { ok: true; sessionToken: string; expiresAt: Date; principal: PortalPrincipal } | { ok: false; reason: 'unknown' | 'expired' | 'used' | 'revoked' | 'completed' };

interface LinkRow {
  id: string; environment_id: string; organization_id: string; intent: PortalIntent; kind: 'api' | 'invite'; return_url: string | null; success_url: string | null;
  admin_emails: string[]; expires_at: Date; opened_at: Date | null; revoked_at: Date | null; completed_at: Date | null;
}

const toPrincipal = (row: LinkRow, expiresAt: Date): PortalPrincipal => ({
  linkId: row.id, environmentId: row.environment_id, organizationId: row.organization_id, intent: row.intent, kind: row.kind,
  returnUrl: row.return_url, successUrl: row.success_url, adminEmails: row.admin_emails, expiresAt,
});

/**
 * Exchanges a link token for a portal session. An api link is claimed by one conditional UPDATE, so two browsers
 * racing on one link can't both get a session. The session never outlives the link it came from.
 */
export async function openPortalLink(db: DataSource, token: string, now = new Date()): Promise<OpenLinkResult> {
  const tokenHash = hashToken(token);
  const [[claimed]] = (await db.query(
    `UPDATE portal_links SET opened_at = COALESCE(opened_at, $2)
      WHERE token_hash = $1 AND revoked_at IS NULL AND completed_at IS NULL AND expires_at > $2 AND (kind = 'invite' OR opened_at IS NULL)
      RETURNING id, environment_id, organization_id, intent, kind, return_url, success_url, admin_emails, expires_at, opened_at, revoked_at, completed_at`,
    [tokenHash, now],
  )) as [LinkRow[], number];
  if (!claimed) {
    const [row] = (await db.query('SELECT kind, expires_at, opened_at, revoked_at, completed_at FROM portal_links WHERE token_hash = $1', [tokenHash])) as LinkRow[];
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.revoked_at) return { ok: false, reason: 'revoked' };
    if (row.completed_at) return { ok: false, reason: 'completed' };
    if (row.kind === 'api' && row.opened_at) return { ok: false, reason: 'used' };
    return { ok: false, reason: 'expired' };
  }
  const sessionToken = newSecretToken();
  const sessionEnd = new Date(Math.min(now.getTime() + PORTAL_SESSION_TTL_MS, claimed.kind === 'invite' ? new Date(claimed.expires_at).getTime() : Infinity));
  await db.transaction(async (m) => {
    await m.query('INSERT INTO portal_sessions (token_hash, link_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [hashToken(sessionToken), claimed.id, now, sessionEnd]);
    await recordPortalAction(m, { organizationId: claimed.organization_id, linkId: claimed.id, intent: claimed.intent, action: 'link_opened', actor: null });
  });
  return { ok: true, sessionToken, expiresAt: sessionEnd, principal: toPrincipal(claimed, sessionEnd) };
}

/** The portal session behind a cookie, or null when it is unknown, expired, or its link was revoked. */
export async function resolvePortalSession(db: DataSource | EntityManager, sessionToken: string | undefined, now = new Date()): Promise<PortalPrincipal | null> {
  if (!sessionToken || sessionToken.length > 128) return null;
  const [row] = (await db.query(
    `SELECT l.id, l.environment_id, l.organization_id, l.intent, l.kind, l.return_url, l.success_url, l.admin_emails, s.expires_at AS session_expires_at
       FROM portal_sessions s JOIN portal_links l ON l.id = s.link_id
      WHERE s.token_hash = $1 AND s.expires_at > $2 AND l.revoked_at IS NULL`,
    [hashToken(sessionToken), now],
  )) as (LinkRow & { session_expires_at: Date })[];
  return row ? toPrincipal(row, new Date(row.session_expires_at)) : null;
}

/** Revokes a link (and so every portal session it opened), inside the caller's scope. */
export async function revokePortalLink(db: DataSource, scope: AccessScope, linkId: string, actor: string | null, now = new Date()): Promise<boolean> {
  const [link] = (await db.query('SELECT organization_id, intent FROM portal_links WHERE id = $1', [linkId])) as { organization_id: string; intent: string }[];
  if (!link) throw new NotFoundError('Setup link');
  await getOrganization(db, scope, link.organization_id); // tenancy: NotFound outside the caller's scope
  return db.transaction(async (m) => {
    const [, affected] = (await m.query('UPDATE portal_links SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [linkId, now])) as [unknown, number];
    await m.query('DELETE FROM portal_sessions WHERE link_id = $1', [linkId]);
    if (affected) await recordPortalAction(m, { organizationId: link.organization_id, linkId, intent: link.intent, action: 'link_revoked', actor });
    return affected > 0;
  });
}

/** Setup finished: an invite link is used up (its sessions end with it once they leave), and the step is recorded. */
export async function completePortalSetup(db: DataSource, principal: PortalPrincipal, now = new Date()): Promise<void> {
  await db.transaction((m) => markPortalSetupComplete(m, principal, now));
}

/** The same, inside the caller's transaction (beside the change that completed the setup). */
export async function markPortalSetupComplete(m: EntityManager, principal: PortalPrincipal, now = new Date()): Promise<void> {
  await m.query('UPDATE portal_links SET completed_at = COALESCE(completed_at, $2) WHERE id = $1', [principal.linkId, now]);
  await recordPortalAction(m, { organizationId: principal.organizationId, linkId: principal.linkId, intent: principal.intent, action: 'setup_completed', actor: principal.adminEmails[0] ?? null });
}

/** Housekeeping: portal sessions past their life, and links a week past theirs. */
export async function purgeExpiredPortalRecords(db: DataSource, now = new Date()): Promise<void> {
  await db.query('DELETE FROM portal_sessions WHERE expires_at < $1', [now]);
  await db.query('DELETE FROM portal_links WHERE expires_at < $1', [new Date(now.getTime() - 7 * 24 * 3600_000)]);
}
