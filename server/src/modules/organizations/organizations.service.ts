import { randomBytes } from 'node:crypto';
import { resolveTxt } from 'node:dns/promises';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { domainProblems, normalizeDomain, type FieldError } from '@portico/shared';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import { newId } from '../../lib/ids';
import { uniqueViolation } from '../../db/unique-violation';
import { environmentInScope, restrict, type AccessScope } from '../environments/access-scope';
import { OrganizationDomainEntity, OrganizationEntity, type DomainState } from './organization.entity';
import { recordEvents, type NewEvent } from '../events/events.service';
import { presentOrganization, presentOrganizationDomain } from './organization-presenters';

export interface DomainInput {
  domain: string;
  state?: 'pending' | 'verified';
}

/** A create or a partial update: only the keys present change. */
export interface OrganizationInput {
  name?: string;
  domains?: DomainInput[];
  externalId?: string | null;
  /** Partial: a null value deletes the key; an empty object deletes them all. */
  metadata?: Record<string, string | null>;
  allowProfilesOutsideOrganization?: boolean;
  stripeCustomerId?: string | null;
}

export const METADATA_LIMITS = { pairs: 10, keyLength: 40, valueLength: 600 };
const ASCII = /^[\x20-\x7e]*$/;

function validate(input: OrganizationInput, creating: boolean): FieldError[] {
  const problems: FieldError[] = [];
  if (input.name !== undefined || creating) {
    const name = input.name?.trim() ?? '';
    if (!name) problems.push({ field: 'name', code: 'name_required', message: 'Name the organization, e.g. "Acme Corp".' });
    else if (name.length > 200) problems.push({ field: 'name', code: 'name_too_long', message: 'Use at most 200 characters.' });
  }
  const seen = new Set<string>();
  input.domains?.forEach((item, i) => {
    problems.push(...domainProblems(item.domain, `domains[${i}].domain`));
    const domain = normalizeDomain(item.domain);
    if (seen.has(domain)) problems.push({ field: `domains[${i}].domain`, code: 'duplicate_domain', message: `${domain} is listed twice.` });
    seen.add(domain);
    if (item.state !== undefined && item.state !== 'pending' && item.state !== 'verified') {
      problems.push({ field: `domains[${i}].state`, code: 'invalid_state', message: 'Use "pending" or "verified".' });
    }
  });
  if (typeof input.externalId === 'string' && (input.externalId.length === 0 || input.externalId.length > 64)) {
    problems.push({ field: 'externalId', code: 'external_id_length', message: 'An external ID has 1 to 64 characters.' });
  }
  for (const [key, value] of Object.entries(input.metadata ?? {})) {
    if (!key || key.length > METADATA_LIMITS.keyLength || !ASCII.test(key)) {
      problems.push({ field: `metadata.${key}`, code: 'metadata_key_invalid', message: `A metadata key has 1 to ${METADATA_LIMITS.keyLength} ASCII characters.` });
    }
    if (value !== null && (typeof value !== 'string' || value.length > METADATA_LIMITS.valueLength || !ASCII.test(value))) {
      problems.push({ field: `metadata.${key}`, code: 'metadata_value_invalid', message: `A metadata value is a string of at most ${METADATA_LIMITS.valueLength} ASCII characters.` });
    }
  }
  return problems;
}

function mergeMetadata(current: Record<string, string>, patch: Record<string, string | null> | undefined): Record<string, string> {
  if (patch === undefined) return current;
  if (Object.keys(patch).length === 0) return {};
  const next = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  if (Object.keys(next).length > METADATA_LIMITS.pairs) {
    throw ValidationError.field('metadata', 'metadata_too_many_pairs', `An organization has at most ${METADATA_LIMITS.pairs} metadata pairs.`);
  }
  return next;
}

/** Which of `domains` another organization of the environment already has (to name it in the conflict). */
async function takenDomain(db: DataSource, environmentId: string, organizationId: string | null, domains: string[]): Promise<string | undefined> {
  const rows: { domain: string }[] = await db.query(
    'SELECT domain FROM organization_domains WHERE environment_id = $1 AND domain = ANY($2) AND organization_id IS DISTINCT FROM $3 ORDER BY domain LIMIT 1',
    [environmentId, domains, organizationId],
  );
  return rows[0]?.domain;
}

async function withConflicts<T>(work: () => Promise<T>, domains: string[], whichTaken: () => Promise<string | undefined> = async () => undefined): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const index = uniqueViolation(err);
    if (index === 'organization_domains_domain_idx') {
      const taken = domains.length === 1 ? domains[0] : await whichTaken();
      throw new ConflictError(`An organization in this environment already has the domain ${taken ?? 'you entered'}.`, 'domains');
    }
    if (index === 'organizations_external_id_idx') throw new ConflictError('Another organization in this environment has this external ID.', 'externalId');
    throw err;
  }
}

interface DomainChanges {
  created: OrganizationDomainEntity[];
  updated: OrganizationDomainEntity[];
  deleted: OrganizationDomainEntity[];
}

async function replaceDomains(manager: EntityManager, org: OrganizationEntity, domains: DomainInput[]): Promise<DomainChanges> {
  const changes: DomainChanges = { created: [], updated: [], deleted: [] };
  const repo = manager.getRepository(OrganizationDomainEntity);
  const existing = await repo.findBy({ organizationId: org.id });
  const wanted = new Map(domains.map((d) => [normalizeDomain(d.domain), d.state ?? 'verified']));
  const gone = existing.filter((d) => !wanted.has(d.domain));
  if (gone.length) await repo.delete(gone.map((d) => d.id));
  changes.deleted = gone;
  for (const row of existing) {
    const state = wanted.get(row.domain);
    if (state && state !== row.state && !(state === 'pending' && row.state === 'verified')) {
      const updatedAt = new Date();
      await repo.update({ id: row.id }, { state, updatedAt });
      changes.updated.push(Object.assign(row, { state, updatedAt }));
    }
  }
  const kept = new Set(existing.map((d) => d.domain));
  const added = [...wanted].filter(([domain]) => !kept.has(domain)).map(([domain, state]) => newDomainRow(org, domain, state));
  if (added.length) await repo.insert(added);
  changes.created = await repo.findBy({ id: In(added.map((d) => d.id)) });
  return changes;
}

const orgEvent = (org: OrganizationEntity, event: string): NewEvent => ({ environmentId: org.environmentId, organizationId: org.id, event, data: presentOrganization(org) });

function domainEvents(changes: DomainChanges): NewEvent[] {
  const of = (event: string) => (d: OrganizationDomainEntity): NewEvent => ({ environmentId: d.environmentId, organizationId: d.organizationId, event, data: presentOrganizationDomain(d) });
  return [...changes.created.map(of('organization_domain.created')), ...changes.updated.map(of('organization_domain.updated')), ...changes.deleted.map(of('organization_domain.deleted'))];
}

function newDomainRow(org: OrganizationEntity, domain: string, state: DomainState): OrganizationDomainEntity {
  return Object.assign(new OrganizationDomainEntity(), {
    id: newId('organizationDomain'), organizationId: org.id, environmentId: org.environmentId, domain, state,
    verificationStrategy: state === 'verified' ? 'manual' : 'dns',
    verificationToken: state === 'verified' ? null : randomBytes(16).toString('hex'),
  });
}

/** An organization with its domains, oldest domain first; NOT_FOUND outside the scope. */
export async function getOrganization(db: DataSource | EntityManager, scope: AccessScope, id: string): Promise<OrganizationEntity> {
  const query = db.getRepository(OrganizationEntity).createQueryBuilder('org').leftJoinAndSelect('org.domains', 'domain').where('org.id = :id', { id }).orderBy('domain.id', 'ASC');
  const org = await restrict(query, scope, 'org').getOne();
  if (!org) throw new NotFoundError('Organization');
  return org;
}

export async function getOrganizationByExternalId(db: DataSource, scope: AccessScope, externalId: string): Promise<OrganizationEntity> {
  const query = db.getRepository(OrganizationEntity).createQueryBuilder('org').leftJoinAndSelect('org.domains', 'domain').where('org.external_id = :externalId', { externalId }).orderBy('domain.id', 'ASC');
  const org = await restrict(query, scope, 'org').getOne();
  if (!org) throw new NotFoundError('Organization');
  return org;
}

/** Organizations of the scope, optionally in one environment, optionally having any of `domains`, optionally matching `search` by name. */
export function organizationsQuery(db: DataSource, scope: AccessScope, filter: { environmentId?: string; domains?: string[]; search?: string }) {
  const query = restrict(db.getRepository(OrganizationEntity).createQueryBuilder('org'), scope, 'org');
  if (filter.environmentId) query.andWhere('org.environment_id = :environmentId', { environmentId: filter.environmentId });
  if (filter.domains?.length) {
    query.andWhere('EXISTS (SELECT 1 FROM organization_domains d WHERE d.organization_id = org.id AND d.domain IN (:...domains))', { domains: filter.domains.map(normalizeDomain) });
  }
  if (filter.search?.trim()) {
    query.andWhere(`(org.name ILIKE :search ESCAPE '\\' OR org.id = :exact OR EXISTS (SELECT 1 FROM organization_domains d WHERE d.organization_id = org.id AND d.domain ILIKE :search ESCAPE '\\'))`, {
      search: `%${filter.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      exact: filter.search.trim(),
    });
  }
  return query;
}

export async function createOrganization(db: DataSource, scope: AccessScope, environmentId: string, input: OrganizationInput): Promise<OrganizationEntity> {
  const environment = await environmentInScope({ db }, scope, environmentId);
  const problems = validate(input, true);
  if (problems.length) throw new ValidationError(problems);
  const domains = input.domains ?? [];
  const id = await withConflicts(
    () =>
      db.transaction(async (manager) => {
        const org = Object.assign(new OrganizationEntity(), {
          id: newId('organization'), environmentId: environment.id, name: input.name!.trim(),
          allowProfilesOutsideOrganization: input.allowProfilesOutsideOrganization ?? false,
          externalId: input.externalId ?? null, metadata: mergeMetadata({}, input.metadata), stripeCustomerId: input.stripeCustomerId ?? null,
        });
        await manager.getRepository(OrganizationEntity).insert(org);
        const changes = await replaceDomains(manager, org, domains);
        await recordEvents(manager, [orgEvent(await getOrganization(manager, scope, org.id), 'organization.created'), ...domainEvents(changes)]);
        return org.id;
      }),
    domains.map((d) => normalizeDomain(d.domain)),
    () => takenDomain(db, environment.id, null, domains.map((d) => normalizeDomain(d.domain))),
  );
  return getOrganization(db, scope, id);
}

export async function updateOrganization(db: DataSource, scope: AccessScope, id: string, input: OrganizationInput): Promise<OrganizationEntity> {
  const problems = validate(input, false);
  if (problems.length) throw new ValidationError(problems);
  let environmentId = '';
  await withConflicts(
    () =>
      // One transaction: the fields and the whole domain list change together or not at all.
      db.transaction(async (manager) => {
        const org = await getOrganization(manager, scope, id);
        environmentId = org.environmentId;
        await manager.query('SELECT 1 FROM organizations WHERE id = $1 FOR UPDATE', [org.id]);
        const patch: Partial<OrganizationEntity> = { updatedAt: new Date() };
        if (input.name !== undefined) patch.name = input.name.trim();
        if (input.allowProfilesOutsideOrganization !== undefined) patch.allowProfilesOutsideOrganization = input.allowProfilesOutsideOrganization;
        if (input.externalId !== undefined) patch.externalId = input.externalId;
        if (input.stripeCustomerId !== undefined) patch.stripeCustomerId = input.stripeCustomerId;
        if (input.metadata !== undefined) patch.metadata = mergeMetadata(org.metadata, input.metadata);
        await manager.getRepository(OrganizationEntity).update({ id: org.id }, patch);
        const changes = input.domains !== undefined ? await replaceDomains(manager, org, input.domains) : { created: [], updated: [], deleted: [] };
        await recordEvents(manager, [orgEvent(await getOrganization(manager, scope, org.id), 'organization.updated'), ...domainEvents(changes)]);
      }),
    (input.domains ?? []).map((d) => normalizeDomain(d.domain)),
    () => takenDomain(db, environmentId, id, (input.domains ?? []).map((d) => normalizeDomain(d.domain))),
  );
  return getOrganization(db, scope, id);
}

export async function deleteOrganization(db: DataSource, scope: AccessScope, id: string): Promise<OrganizationEntity> {
  const org = await getOrganization(db, scope, id);
  await db.transaction(async (manager) => {
    await manager.getRepository(OrganizationEntity).delete({ id: org.id });
    await recordEvents(manager, [orgEvent(org, 'organization.deleted')]);
  });
  return org;
}

async function domainInScope(db: DataSource, scope: AccessScope, id: string): Promise<OrganizationDomainEntity> {
  const domain = await restrict(db.getRepository(OrganizationDomainEntity).createQueryBuilder('d').where('d.id = :id', { id }), scope, 'd').getOne();
  if (!domain) throw new NotFoundError('Organization domain');
  return domain;
}

export const getOrganizationDomain = domainInScope;

/** Adds a domain; from the dashboard it is verified by the member who adds it, from the API it awaits DNS verification. */
/** `within` runs in the same transaction, after the insert (e.g. the Admin Portal's audit trail). */
export async function addOrganizationDomain(
  db: DataSource, scope: AccessScope, organizationId: string, domain: string, state: DomainState,
  within?: (manager: EntityManager, row: OrganizationDomainEntity) => Promise<void>,
): Promise<OrganizationDomainEntity> {
  const problems = domainProblems(domain);
  if (problems.length) throw new ValidationError(problems);
  const org = await getOrganization(db, scope, organizationId);
  const row = newDomainRow(org, normalizeDomain(domain), state);
  await withConflicts(
    () =>
      db.transaction(async (manager) => {
        await manager.getRepository(OrganizationDomainEntity).insert(row);
        const created = await manager.getRepository(OrganizationDomainEntity).findOneByOrFail({ id: row.id });
        await recordEvents(manager, domainEvents({ created: [created], updated: [], deleted: [] }));
        await within?.(manager, created);
      }),
    [row.domain],
  );
  return domainInScope(db, scope, row.id);
}

export async function removeOrganizationDomain(db: DataSource, scope: AccessScope, id: string): Promise<OrganizationDomainEntity> {
  const domain = await domainInScope(db, scope, id);
  await db.transaction(async (manager) => {
    await manager.getRepository(OrganizationDomainEntity).delete({ id: domain.id });
    await recordEvents(manager, domainEvents({ created: [], updated: [], deleted: [domain] }));
  });
  return domain;
}

export const VERIFICATION_RECORD_PREFIX = '_portico-challenge';

export type TxtLookup = (hostname: string) => Promise<string[][]>;

/**
 * What one look-up of the verification record found. NXDOMAIN and "no TXT records" are an answer (record_not_found);
 * any other resolver error (SERVFAIL, timeout, refused) is no answer at all (lookup_failed).
 */
export type VerificationCheck =
  | { result: 'verified' }
  | { result: 'record_not_found' }
  | { result: 'token_mismatch'; received: string[] }
  | { result: 'lookup_failed'; code: string };

const NO_RECORD = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN']);

export async function checkVerificationRecord(domain: string, token: string | null, lookup: TxtLookup): Promise<VerificationCheck> {
  let records: string[][];
  try {
    records = await lookup(`${VERIFICATION_RECORD_PREFIX}.${domain}`);
  } catch (err) {
    const code = String((err as { code?: unknown }).code ?? 'UNKNOWN');
    return NO_RECORD.has(code) ? { result: 'record_not_found' } : { result: 'lookup_failed', code };
  }
  const values = records.map((chunks) => chunks.join(''));
  if (token && values.includes(token)) return { result: 'verified' };
  return values.length ? { result: 'token_mismatch', received: values.slice(0, 5) } : { result: 'record_not_found' };
}

/** DNS verification: the domain's `_portico-challenge` TXT record must hold the verification token. */
export async function verifyOrganizationDomain(db: DataSource, scope: AccessScope, id: string, lookup: TxtLookup = resolveTxt): Promise<OrganizationDomainEntity> {
  return (await verifyOrganizationDomainWithCheck(db, scope, id, lookup)).domain;
}

/**
 * The same, saying what the look-up found; `within` runs in the transaction that records the outcome. A failed
 * look-up marks the domain failed like a missing record (the API's contract) but the check says which it was.
 */
export async function verifyOrganizationDomainWithCheck(
  db: DataSource, scope: AccessScope, id: string, lookup: TxtLookup = resolveTxt,
  within?: (manager: EntityManager, domain: OrganizationDomainEntity, check: VerificationCheck) => Promise<void>,
): Promise<{ domain: OrganizationDomainEntity; check: VerificationCheck }> {
  const domain = await domainInScope(db, scope, id);
  if (domain.state === 'verified') return { domain, check: { result: 'verified' } };
  const check = await checkVerificationRecord(domain.domain, domain.verificationToken, lookup);
  const found = check.result === 'verified';
  await db.transaction(async (manager) => {
    const updatedAt = new Date();
    await manager.getRepository(OrganizationDomainEntity).update({ id: domain.id }, { state: found ? 'verified' : 'failed', updatedAt });
    const row = Object.assign(domain, { state: found ? 'verified' : 'failed', updatedAt });
    const base = { environmentId: row.environmentId, organizationId: row.organizationId };
    await recordEvents(manager, [
      found
        ? { ...base, event: 'organization_domain.verified', data: presentOrganizationDomain(row) }
        : { ...base, event: 'organization_domain.verification_failed', data: { reason: check.result === 'token_mismatch' ? 'domain_verification_token_mismatch' : 'domain_verification_record_not_found', organization_domain: presentOrganizationDomain(row) } },
    ]);
    await within?.(manager, row, check);
  });
  return { domain: await domainInScope(db, scope, id), check };
}
