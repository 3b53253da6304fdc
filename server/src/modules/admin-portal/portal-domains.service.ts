import { resolveTxt } from 'node:dns/promises';
import type { EntityManager } from 'typeorm';
import { domainProblems, normalizeDomain } from '@portico/shared';
import type { AppDeps } from '../../context';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import type { AccessScope } from '../environments/access-scope';
import type { OrganizationDomainEntity } from '../organizations/organization.entity';
import {
  addOrganizationDomain, getOrganization, VERIFICATION_RECORD_PREFIX, verifyOrganizationDomainWithCheck, type TxtLookup, type VerificationCheck,
} from '../organizations/organizations.service';
import { recordPortalAction } from './portal-actions.service';
import { markPortalSetupComplete, type PortalPrincipal } from './portal-links.service';
import { requireIntent } from './portal-sso.service';

/**
 * The domain verification intent: the IT admin adds a domain, creates the TXT record shown, and checks it (the same
 * DNS check as the API's `POST /organization_domains/:id/verify`). The first verified domain completes the setup.
 */

const scopeOf = (p: PortalPrincipal): AccessScope => ({ kind: 'environment', environmentId: p.environmentId });
const actorOf = (p: PortalPrincipal) => p.adminEmails[0] ?? null;
const lookupOf = (deps: AppDeps): TxtLookup => deps.dns?.resolveTxt ?? resolveTxt;

export interface PortalDomain {
  id: string;
  domain: string;
  state: 'pending' | 'verified' | 'failed';
  /** The record to create, or null for a domain the application team verified by hand. */
  record: { type: 'TXT'; name: string; value: string } | null;
}

const present = (d: OrganizationDomainEntity): PortalDomain => ({
  id: d.id, domain: d.domain, state: d.state,
  record: d.verificationToken ? { type: 'TXT', name: `${VERIFICATION_RECORD_PREFIX}.${d.domain}`, value: d.verificationToken } : null,
});

/** The organization's domains, oldest first. */
export async function presentPortalDomains(deps: AppDeps, p: PortalPrincipal): Promise<{ domains: PortalDomain[] }> {
  requireIntent(p, 'domain_verification');
  // tenancy: environment from the scope, organization from the portal session
  const org = await getOrganization(deps.db, scopeOf(p), p.organizationId);
  return { domains: (org.domains ?? []).map(present) };
}

/**
 * Adds `input` as a pending domain. Already the organization's: answered as is. Another organization's (in this
 * environment): refused without saying whose; the unique index decides, so a race can't claim it twice.
 */
export async function addPortalDomain(deps: AppDeps, p: PortalPrincipal, input: unknown): Promise<{ domain: PortalDomain; domains: PortalDomain[] }> {
  requireIntent(p, 'domain_verification');
  if (typeof input !== 'string') throw ValidationError.field('domain', 'required', 'Enter a domain, e.g. example.com.');
  const problems = domainProblems(input);
  if (problems.length) throw new ValidationError(problems);
  const name = normalizeDomain(input);
  const current = await presentPortalDomains(deps, p);
  const existing = current.domains.find((d) => d.domain === name);
  if (existing) return { domain: existing, domains: current.domains };
  let row: OrganizationDomainEntity;
  try {
    row = await addOrganizationDomain(deps.db, scopeOf(p), p.organizationId, name, 'pending', (m, created) =>
      recordPortalAction(m, { organizationId: p.organizationId, linkId: p.linkId, intent: p.intent, action: 'domain_added', actor: actorOf(p), detail: { domainId: created.id, domain: created.domain } }));
  } catch (err) {
    if (err instanceof ConflictError) {
      throw new ConflictError(`${name} is already claimed by another organization. If it belongs to yours, contact the application team.`, 'domain');
    }
    throw err;
  }
  return { domain: present(row), domains: (await presentPortalDomains(deps, p)).domains };
}

/** Why a check did not verify, in the admin's words. */
const FAILURES: Record<Exclude<VerificationCheck['result'], 'verified'>, (d: PortalDomain) => string> = {
  record_not_found: (d) => `No TXT record named ${d.record?.name} was found. If you just created it, DNS can take a few minutes (sometimes hours) to publish it: check again later.`,
  token_mismatch: (d) => `A TXT record named ${d.record?.name} exists, but its value is not the one below. Replace its value with ${d.record?.value}.`,
  lookup_failed: () => 'Your domain’s DNS servers did not answer the look-up, so the record could not be checked. This is usually temporary: check again in a few minutes.',
};

export interface DomainCheckResult {
  domain: PortalDomain;
  result: VerificationCheck['result'];
  /** The admin-facing explanation of a failed check. */
  message: string | null;
  /** The values found, when a record exists with the wrong value. */
  received: string[];
  /** Set once a verified domain completes the setup: where to go next. */
  completed: boolean;
}

/** Checks the domain's TXT record once; a verified domain completes the setup (the link is used up). */
export async function checkPortalDomain(deps: AppDeps, p: PortalPrincipal, domainId: string): Promise<DomainCheckResult> {
  requireIntent(p, 'domain_verification');
  await requireOwnDomain(deps, p, domainId);
  // The outcome, its audit entry and (when verified) the setup's completion commit together.
  const record = async (m: EntityManager, d: OrganizationDomainEntity, check: VerificationCheck) => {
    await recordPortalAction(m, {
      organizationId: p.organizationId, linkId: p.linkId, intent: p.intent, action: check.result === 'verified' ? 'domain_verified' : 'domain_verification_failed', actor: actorOf(p),
      detail: { domainId: d.id, domain: d.domain, ...(check.result === 'verified' ? {} : { reason: check.result }) },
    });
    if (check.result === 'verified') await markPortalSetupComplete(m, p);
  };
  const { domain, check } = await verifyOrganizationDomainWithCheck(deps.db, scopeOf(p), domainId, lookupOf(deps), record);
  const shown = present(domain);
  if (check.result === 'verified') return { domain: shown, result: 'verified', message: null, received: [], completed: true };
  return { domain: shown, result: check.result, message: FAILURES[check.result](shown), received: check.result === 'token_mismatch' ? check.received : [], completed: false };
}

/** tenancy: a domain of another organization (or environment) is "not found", never checked. */
async function requireOwnDomain(deps: AppDeps, p: PortalPrincipal, domainId: string): Promise<void> {
  const { domains } = await presentPortalDomains(deps, p);
  if (!domains.some((d) => d.id === domainId)) throw new NotFoundError('Domain');
}

/** The setup is complete only once one of the organization's domains is verified. */
export async function requireVerifiedDomain(deps: AppDeps, p: PortalPrincipal): Promise<void> {
  const { domains } = await presentPortalDomains(deps, p);
  if (!domains.some((d) => d.state === 'verified')) {
    throw ValidationError.field('domain', 'not_verified', 'Verify a domain first: add it, create its TXT record, then check it.');
  }
}
