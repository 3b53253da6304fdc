import type { DataSource } from 'typeorm';
import { isIdOf, type IdKind } from '@portico/shared';
import { ValidationError } from '../../errors';

/**
 * The dashboard's search palette: an environment's organizations, connections, directories, directory users and
 * sessions, found by the start of a name, a domain or an email (case-insensitive), or by a pasted ID.
 *
 * Every text match is a prefix match on an index led by environment_id (migration 1765300000000), so a search
 * costs a handful of index ranges whatever the environment holds: one statement per kind, at most PER_KIND rows
 * each. Sessions are found by email only when the query contains an `@` (a whole address or its start), because
 * a short prefix would match millions of sign-ins. A complete ID is looked up by primary key and nothing else.
 *
 * tenancy: every statement is bound to `environmentId`; an ID of another environment is not found, like an unknown one.
 */

export type SearchKind = 'ORGANIZATION' | 'CONNECTION' | 'DIRECTORY' | 'DIRECTORY_USER' | 'SESSION';

export interface SearchHit { kind: SearchKind; id: string; title: string; detail: string | null }

export interface SearchOutcome { hits: SearchHit[]; jumpTo: SearchHit | null }

export const PER_KIND = 5;
export const MAX_QUERY_LENGTH = 200;
/** Shorter queries find nothing but IDs: one letter would list the start of every table. */
export const MIN_TEXT_LENGTH = 2;

/** Which table each ID kind lives in, and how a hit is read from it. */
const BY_ID: { kind: IdKind; hit: SearchKind; sql: string }[] = [
  { kind: 'organization', hit: 'ORGANIZATION', sql: `SELECT o.id, o.name AS title, ${domainsOf('o')} AS detail FROM organizations o WHERE o.id = $2 AND o.environment_id = $1` },
  { kind: 'connection', hit: 'CONNECTION', sql: `SELECT c.id, c.name AS title, o.name || ' · ' || c.state AS detail FROM connections c JOIN organizations o ON o.id = c.organization_id WHERE c.id = $2 AND c.environment_id = $1` },
  { kind: 'directory', hit: 'DIRECTORY', sql: `SELECT d.id, d.name AS title, o.name || ' · ' || d.type AS detail FROM directories d JOIN organizations o ON o.id = d.organization_id WHERE d.id = $2 AND d.environment_id = $1` },
  { kind: 'directoryUser', hit: 'DIRECTORY_USER', sql: `SELECT u.id, ${userTitle('u')} AS title, ${userDetail('u')} AS detail FROM directory_users u JOIN directories d ON d.id = u.directory_id WHERE u.id = $2 AND u.environment_id = $1` },
  { kind: 'ssoSession', hit: 'SESSION', sql: `SELECT s.id, coalesce(s.email, 'Sign-in attempt') AS title, ${sessionDetail('s')} AS detail FROM sso_sessions s JOIN connections c ON c.id = s.connection_id WHERE s.id = $2 AND s.environment_id = $1` },
];

function domainsOf(org: string) {
  return `(SELECT string_agg(domain, ', ' ORDER BY domain) FROM (SELECT domain FROM organization_domains WHERE organization_id = ${org}.id ORDER BY domain LIMIT 3) ds)`;
}
function userTitle(u: string) {
  return `coalesce(nullif(trim(coalesce(${u}.first_name, '') || ' ' || coalesce(${u}.last_name, '')), ''), ${u}.email, ${u}.user_name)`;
}
function userDetail(u: string) {
  return `coalesce(${u}.email, ${u}.user_name) || ' · ' || d.name`;
}
function sessionDetail(s: string) {
  return `c.name || ' · ' || lower(${s}.state) || coalesce(' · ' || lower(replace(${s}.error, '_', ' ')), '') || ' · ' || to_char(${s}.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"')`;
}

/** `text` as a LIKE pattern matching what starts with it (escape character: backslash). */
const prefixPattern = (text: string) => `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function searchEnvironment(db: DataSource, environmentId: string, rawQuery: string): Promise<SearchOutcome> {
  if (rawQuery.length > MAX_QUERY_LENGTH) throw ValidationError.field('query', 'too_long', `A search is at most ${MAX_QUERY_LENGTH} characters.`);
  const query = rawQuery.trim();
  const byId = BY_ID.find((k) => isIdOf(k.kind, query));
  if (byId) {
    const [row] = await db.query(byId.sql, [environmentId, query]);
    const hit = row ? { kind: byId.hit, ...row } as SearchHit : null;
    return { hits: hit ? [hit] : [], jumpTo: hit };
  }
  if (query.length < MIN_TEXT_LENGTH) return { hits: [], jumpTo: null };
  return { hits: await searchText(db, environmentId, query.toLowerCase()), jumpTo: null };
}

async function searchText(db: DataSource, environmentId: string, text: string): Promise<SearchHit[]> {
  // "ada@acme.com" also finds the organization that owns acme.com.
  const domain = text.includes('@') ? text.slice(text.lastIndexOf('@') + 1) : text;
  const params = [environmentId, prefixPattern(text), PER_KIND];
  // Each inner SELECT reads its index in order and stops at PER_KIND rows (see the migration); an OR of two
  // indexes is a UNION of two such reads, so no search sorts more than 2 × PER_KIND rows.
  const kinds: Promise<SearchHit[]>[] = [
    tagged('ORGANIZATION', db.query(
      `SELECT o.id, o.name AS title, ${domainsOf('o')} AS detail FROM organizations o
        WHERE o.environment_id = $1 AND o.id IN (
          (SELECT id FROM organizations WHERE environment_id = $1 AND ${C('lower(name)')} LIKE $2 ESCAPE '\\' ORDER BY ${C('lower(name)')} LIMIT $3)
          UNION ALL
          (SELECT organization_id FROM organization_domains WHERE environment_id = $1 AND ${C('domain')} LIKE $4 ESCAPE '\\' ORDER BY ${C('domain')} LIMIT $3))
        ORDER BY ${C('lower(o.name)')}, o.id LIMIT $3`, [...params, prefixPattern(domain)])),
    tagged('CONNECTION', db.query(
      `SELECT c.id, c.name AS title, o.name || ' · ' || c.state AS detail FROM connections c JOIN organizations o ON o.id = c.organization_id
        WHERE c.environment_id = $1 AND ${C('lower(c.name)')} LIKE $2 ESCAPE '\\' ORDER BY ${C('lower(c.name)')}, c.id LIMIT $3`, params)),
    tagged('DIRECTORY', db.query(
      `SELECT d.id, d.name AS title, o.name || ' · ' || d.type AS detail FROM directories d JOIN organizations o ON o.id = d.organization_id
        WHERE d.environment_id = $1 AND ${C('lower(d.name)')} LIKE $2 ESCAPE '\\' ORDER BY ${C('lower(d.name)')}, d.id LIMIT $3`, params)),
    tagged('DIRECTORY_USER', db.query(
      `SELECT u.id, ${userTitle('u')} AS title, ${userDetail('u')} AS detail FROM directory_users u JOIN directories d ON d.id = u.directory_id
        WHERE u.environment_id = $1 AND u.id IN (
          (SELECT id FROM directory_users WHERE environment_id = $1 AND deleted_at IS NULL AND email IS NOT NULL AND ${C('lower(email)')} LIKE $2 ESCAPE '\\'
            ORDER BY ${C('lower(email)')} LIMIT $3)
          UNION ALL
          (SELECT id FROM directory_users WHERE environment_id = $1 AND deleted_at IS NULL AND ${C(FULL_NAME)} LIKE $2 ESCAPE '\\' ORDER BY ${C(FULL_NAME)} LIMIT $3))
        ORDER BY ${C('lower(coalesce(u.email, u.user_name))')}, u.id LIMIT $3`, params)),
  ];
  if (text.includes('@')) {
    kinds.push(tagged('SESSION', db.query(
      `SELECT s.id, s.email AS title, ${sessionDetail('s')} AS detail FROM sso_sessions s JOIN connections c ON c.id = s.connection_id
        WHERE s.environment_id = $1 AND s.email IS NOT NULL AND ${C('lower(s.email)')} LIKE $2 ESCAPE '\\' ORDER BY ${C('lower(s.email)')}, s.id DESC LIMIT $3`, params)));
  }
  return (await Promise.all(kinds)).flat();
}

/** An indexed search expression: in the "C" collation, a LIKE prefix is an index range and the index's order is the ORDER BY. */
const C = (expression: string) => `(${expression} COLLATE "C")`;
const FULL_NAME = `lower(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))`;

async function tagged(kind: SearchKind, rows: Promise<Omit<SearchHit, 'kind'>[]>): Promise<SearchHit[]> {
  return (await rows).map((row) => ({ kind, ...row }));
}
