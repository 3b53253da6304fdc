import { parse, type Filter } from 'scim2-parse-filter';
import { ScimError } from './scim-error';
import { SCHEMAS } from './scim-attributes';

/**
 * SCIM filters (RFC 7644 §3.4.2.2) as SQL. `scim2-parse-filter` parses the grammar (value paths with brackets,
 * and / or / not, parentheses, every operator); this file decides what each attribute means and writes the SQL:
 * a known attribute becomes a column or a path into raw_attributes, its value is always a bound parameter, and an
 * attribute or operator Portico doesn't know is refused with `invalidFilter` naming it, never answered wrongly.
 *
 * What stays indexed (providers look a resource up before every create): `userName eq` (lower(user_name)),
 * `externalId eq`, `id eq`, and `emails…value eq` in any form (`emails.value`, `emails`, `emails[type eq "work"].value`),
 * through the GIN index directory_users_emails_idx, which holds every email of a user, not only the primary.
 */

export type ScimResource = 'User' | 'Group';

type AttrType = 'string' | 'boolean' | 'dateTime' | 'complex';

/** A single value: how to read it as text, as jsonb (for `pr`), its type and whether comparisons are case-exact. */
interface Leaf {
  kind: 'leaf';
  name: string;
  text: (p: Params) => string;
  jsonb?: (p: Params) => string;
  type: AttrType;
  caseExact: boolean;
}

/** A multi-valued attribute: a FROM clause correlated to the resource, and its elements' sub-attributes. */
interface Multi {
  kind: 'multi';
  name: string;
  /** `FROM … WHERE <correlation>` for EXISTS; the element is `se`. */
  from: (p: Params) => string;
  subs: Record<string, Omit<Leaf, 'name'>>;
  /** For `emails`: the indexed pre-check that every email of the resource includes one value. */
  indexedEq?: (p: Params, value: string) => string;
  /** The `pr` test (non-empty). */
  present: (p: Params) => string;
}

type Attr = Leaf | Multi;

class Params {
  readonly values: Record<string, unknown> = {};
  private n = 0;
  bind(value: unknown): string {
    const name = `f${this.n++}`;
    this.values[name] = value;
    return `:${name}`;
  }
}

const MAX_FILTER_LENGTH = 2048;
const MAX_CONDITIONS = 50;

const column = (name: string, sql: string, type: AttrType, caseExact: boolean): Leaf => ({ kind: 'leaf', name, text: () => sql, type, caseExact });

/** A path into a jsonb column, keys bound as parameters (they are never written into the SQL). */
const jsonPath = (root: string, keys: string[]) => (p: Params) => keys.reduce((sql, key) => `${sql} -> ${p.bind(key)}::text`, root);
const jsonLeaf = (name: string, root: string, keys: string[], type: AttrType = 'string', caseExact = false): Leaf => {
  const jsonb = jsonPath(root, keys);
  return { kind: 'leaf', name, jsonb, text: (p) => `((${jsonb(p)}) #>> '{}')`, type, caseExact };
};
const element = (key: string, type: AttrType = 'string', caseExact = false): Omit<Leaf, 'name'> => ({
  kind: 'leaf', type, caseExact, jsonb: (p) => `(se.v -> ${p.bind(key)}::text)`, text: (p) => `(se.v ->> ${p.bind(key)}::text)`,
});
const arrayOf = (jsonb: string) => `jsonb_array_elements(CASE WHEN jsonb_typeof(${jsonb}) = 'array' THEN ${jsonb} ELSE '[]'::jsonb END) AS se(v)`;
const nonEmpty = (jsonb: string) => `COALESCE((${jsonb}) NOT IN ('null'::jsonb, '""'::jsonb, '[]'::jsonb, '{}'::jsonb), false)`;

const jsonMulti = (name: string, key: string, subs: Record<string, Omit<Leaf, 'name'>>): Multi => ({
  kind: 'multi', name, subs,
  from: (p) => `FROM ${arrayOf(`u.raw_attributes -> ${p.bind(key)}::text`)}`,
  present: (p) => nonEmpty(`u.raw_attributes -> ${p.bind(key)}::text`),
});

const PLURAL_SUBS = { value: element('value'), display: element('display'), type: element('type'), primary: element('primary', 'boolean') };

function userAttributes(): Map<string, Attr> {
  const out = new Map<string, Attr>();
  const add = (attr: Attr) => out.set(attr.name.toLowerCase(), attr);
  add(column('id', 'u.id', 'string', true));
  add(column('userName', 'u.user_name', 'string', false));
  add(column('externalId', 'u.external_id', 'string', true));
  add(column('active', `(u.state = 'active')`, 'boolean', false));
  add(column('meta.created', 'u.created_at', 'dateTime', false));
  add(column('meta.lastModified', 'u.updated_at', 'dateTime', false));
  for (const name of ['displayName', 'nickName', 'profileUrl', 'title', 'userType', 'preferredLanguage', 'locale', 'timezone']) add(jsonLeaf(name, 'u.raw_attributes', [name]));
  add({ ...jsonLeaf('name', 'u.raw_attributes', ['name']), type: 'complex' });
  for (const sub of ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix']) add(jsonLeaf(`name.${sub}`, 'u.raw_attributes', ['name', sub]));
  const emails = jsonMulti('emails', 'emails', PLURAL_SUBS);
  // Exactly the expression of directory_users_emails_idx (the key is a constant here, not a parameter, so it matches).
  emails.indexedEq = (p, value) => `lower((u.raw_attributes -> 'emails')::text)::jsonb @> jsonb_build_array(jsonb_build_object('value', lower(${p.bind(value)}::text)))`;
  add(emails);
  for (const name of ['phoneNumbers', 'ims', 'photos', 'entitlements', 'roles', 'x509Certificates']) add(jsonMulti(name, name, PLURAL_SUBS));
  add(jsonMulti('addresses', 'addresses', {
    ...PLURAL_SUBS, ...Object.fromEntries(['formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country'].map((k) => [k.toLowerCase(), element(k)])),
  }));
  add({
    kind: 'multi', name: 'groups', subs: { value: { kind: 'leaf', text: () => 'm.group_id', type: 'string', caseExact: true } },
    from: () => 'FROM directory_group_members m WHERE m.user_id = u.id', present: () => 'EXISTS (SELECT 1 FROM directory_group_members m WHERE m.user_id = u.id)',
  });
  // The enterprise extension, qualified or not (the core schema has none of these names).
  for (const name of ['employeeNumber', 'costCenter', 'organization', 'division', 'department']) add(jsonLeaf(`${SCHEMAS.enterprise}:${name}`, 'u.raw_attributes', [SCHEMAS.enterprise, name]));
  add({ ...jsonLeaf(`${SCHEMAS.enterprise}:manager`, 'u.raw_attributes', [SCHEMAS.enterprise, 'manager']), type: 'complex' });
  add(jsonLeaf(`${SCHEMAS.enterprise}:manager.value`, 'u.raw_attributes', [SCHEMAS.enterprise, 'manager', 'value'], 'string', true));
  add(jsonLeaf(`${SCHEMAS.enterprise}:manager.displayName`, 'u.raw_attributes', [SCHEMAS.enterprise, 'manager', 'displayName']));
  return out;
}

function groupAttributes(): Map<string, Attr> {
  const out = new Map<string, Attr>();
  const add = (attr: Attr) => out.set(attr.name.toLowerCase(), attr);
  add(column('id', 'g.id', 'string', true));
  add(column('displayName', 'g.name', 'string', false));
  add(column('externalId', 'g.external_id', 'string', true));
  add(column('meta.created', 'g.created_at', 'dateTime', false));
  add(column('meta.lastModified', 'g.updated_at', 'dateTime', false));
  add({
    kind: 'multi', name: 'members', subs: { value: { kind: 'leaf', text: () => 'm.user_id', type: 'string', caseExact: true } },
    from: () => 'FROM directory_group_members m WHERE m.group_id = g.id', present: () => 'EXISTS (SELECT 1 FROM directory_group_members m WHERE m.group_id = g.id)',
  });
  return out;
}

const ATTRIBUTES: Record<ScimResource, Map<string, Attr>> = { User: userAttributes(), Group: groupAttributes() };
const ENTERPRISE_NAMES = new Set(['employeenumber', 'costcenter', 'organization', 'division', 'department', 'manager']);

const invalid = (detail: string) => new ScimError(400, detail, 'invalidFilter');

/** The attribute a filter path names: schema URN prefixes resolved, enterprise names found with or without theirs. */
function attributeName(resource: ScimResource, path: string): string {
  const lower = path.toLowerCase();
  const core = `${(resource === 'User' ? SCHEMAS.user : SCHEMAS.group).toLowerCase()}:`;
  if (lower.startsWith(core)) return lower.slice(core.length);
  const enterprise = `${SCHEMAS.enterprise.toLowerCase()}:`;
  if (resource === 'User' && ENTERPRISE_NAMES.has(lower.split('.')[0]!)) return `${enterprise}${lower}`;
  return lower;
}

/** The attribute and, for `emails.value`-style paths into a multi-valued attribute, the sub-attribute. */
function resolve(resource: ScimResource, path: string): { attr: Attr; sub: string | null } {
  const name = attributeName(resource, path);
  const attrs = ATTRIBUTES[resource];
  const direct = attrs.get(name);
  if (direct) return { attr: direct, sub: null };
  const dot = name.lastIndexOf('.');
  const parent = dot > 0 ? attrs.get(name.slice(0, dot)) : undefined;
  if (parent?.kind === 'multi') return { attr: parent, sub: name.slice(dot + 1) };
  const known = [...attrs.values()].map((a) => a.name.replace(`${SCHEMAS.enterprise}:`, '')).join(', ');
  throw invalid(`Filtering ${resource}s on the attribute "${path}" is not supported; known attributes: ${known}`);
}

function subOf(multi: Multi, name: string): Omit<Leaf, 'name'> {
  const sub = Object.hasOwn(multi.subs, name.toLowerCase()) ? multi.subs[name.toLowerCase()] : undefined;
  if (!sub) throw invalid(`Filtering on the sub-attribute "${multi.name}.${name}" is not supported; use ${Object.keys(multi.subs).map((s) => `${multi.name}.${s}`).join(', ')}`);
  return sub;
}

/** One comparison as SQL: operators allowed per type, case rules per attribute, the value always a parameter. */
function compare(leaf: Omit<Leaf, 'name'>, name: string, op: string, value: unknown, p: Params): string {
  if (op === 'pr') {
    if (leaf.jsonb) return nonEmpty(leaf.jsonb(p));
    const text = leaf.text(p);
    return leaf.type === 'string' ? `COALESCE(${text} <> '', false)` : `(${text} IS NOT NULL)`;
  }
  if (leaf.type === 'complex') throw invalid(`${name} is complex: filter on one of its sub-attributes (as ${name}.value), or use pr`);
  if (leaf.type === 'boolean') {
    if (op !== 'eq' && op !== 'ne') throw invalid(`The operator "${op}" does not apply to the boolean ${name}; use eq or ne`);
    const wanted = typeof value === 'boolean' ? value : typeof value === 'string' && /^(true|false)$/i.test(value) ? value.toLowerCase() === 'true' : null;
    if (wanted === null) throw invalid(`${name} is a boolean: compare it with true or false`);
    const text = leaf.text(p);
    const truthy = leaf.jsonb ? `(lower(${text}) = 'true')` : text;
    return op === 'eq' ? `${truthy} = ${p.bind(wanted)}::boolean` : `(${truthy} IS DISTINCT FROM ${p.bind(wanted)}::boolean)`;
  }
  if (leaf.type === 'dateTime') {
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw invalid(`${name} is a dateTime: compare it with a quoted date such as "2026-01-01T00:00:00Z"`);
    const sqlOp = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' }[op];
    if (!sqlOp) throw invalid(`The operator "${op}" does not apply to the dateTime ${name}; use eq, ne, gt, ge, lt or le`);
    return `${leaf.text(p)} ${sqlOp} ${p.bind(new Date(value).toISOString())}::timestamptz`;
  }
  if (typeof value !== 'string' && typeof value !== 'number') throw invalid(`${name} is a string: compare it with a quoted value`);
  const fold = (sql: string) => (leaf.caseExact ? sql : `lower(${sql})`);
  const left = fold(leaf.text(p));
  const right = fold(`${p.bind(String(value))}::text`);
  switch (op) {
    // Plain comparisons (NULL for a missing attribute, which `not` turns into false first): so indexes still apply.
    case 'eq': return `${left} = ${right}`;
    case 'ne': return `(${left} IS DISTINCT FROM ${right})`;
    case 'co': return `strpos(${left}, ${right}) > 0`;
    case 'sw': return `starts_with(${left}, ${right})`;
    case 'ew': return `right(${left}, char_length(${right})) = ${right}`;
    case 'gt': return `${left} > ${right}`;
    case 'ge': return `${left} >= ${right}`;
    case 'lt': return `${left} < ${right}`;
    case 'le': return `${left} <= ${right}`;
    default: throw invalid(`Unsupported operator "${op}"`);
  }
}

/** Values an element filter requires `value` to equal (conjunctively): the indexed pre-check's inputs. */
function requiredValues(filter: Filter): string[] {
  if (filter.op === 'eq' && 'attrPath' in filter && filter.attrPath.toLowerCase() === 'value' && typeof filter.compValue === 'string') return [filter.compValue];
  if (filter.op === 'and' && 'filters' in filter) return filter.filters.flatMap(requiredValues);
  return [];
}

/** `attr[valFilter]`: some element of a multi-valued attribute matches the element filter. */
function anyElement(multi: Multi, valFilter: Filter, p: Params): string {
  const from = multi.from(p);
  const exists = `EXISTS (SELECT 1 ${from}${from.includes(' WHERE ') ? ' AND' : ' WHERE'} ${compileElement(multi, valFilter, p)})`;
  const indexed = multi.indexedEq ? requiredValues(valFilter).map((v) => multi.indexedEq!(p, v)) : [];
  return indexed.length ? `(${[...indexed, exists].join(' AND ')})` : exists;
}

function compileElement(multi: Multi, filter: Filter, p: Params): string {
  switch (filter.op) {
    case 'and': case 'or': return `(${filter.filters.map((f) => compileElement(multi, f, p)).join(` ${filter.op.toUpperCase()} `)})`;
    case 'not': return `NOT COALESCE(${compileElement(multi, filter.filter, p)}, false)`;
    case '[]': throw invalid(`A value path cannot be nested inside ${multi.name}[…]`);
    default: {
      const name = filter.attrPath.replace(new RegExp(`^${multi.name}\\.`, 'i'), '');
      return compare(subOf(multi, name), `${multi.name}.${name}`, filter.op, 'compValue' in filter ? filter.compValue : undefined, p);
    }
  }
}

function compileFilter(resource: ScimResource, filter: Filter, p: Params): string {
  switch (filter.op) {
    case 'and': {
      // The parser reads `emails[type eq "work"].value eq "x"` as `emails[type eq "work"] and emails.value eq "x"`;
      // RFC 7644 means one element matching both, so the pair is put back together.
      const [first, second] = filter.filters;
      if (filter.filters.length === 2 && first?.op === '[]' && second && 'attrPath' in second && second.op !== '[]'
        && second.attrPath.toLowerCase().startsWith(`${first.attrPath.toLowerCase()}.`)) {
        const { attr } = resolve(resource, first.attrPath);
        if (attr.kind === 'multi') {
          const sub = { ...second, attrPath: second.attrPath.slice(first.attrPath.length + 1) } as Filter;
          return anyElement(attr, { op: 'and', filters: [first.valFilter, sub] }, p);
        }
      }
      return `(${filter.filters.map((f) => compileFilter(resource, f, p)).join(' AND ')})`;
    }
    case 'or': return `(${filter.filters.map((f) => compileFilter(resource, f, p)).join(' OR ')})`;
    case 'not': return `NOT COALESCE(${compileFilter(resource, filter.filter, p)}, false)`;
    case '[]': {
      const { attr, sub } = resolve(resource, filter.attrPath);
      if (attr.kind !== 'multi' || sub) throw invalid(`${filter.attrPath} is not multi-valued: a [filter] applies to attributes such as emails`);
      return anyElement(attr, filter.valFilter, p);
    }
    default: {
      const { attr, sub } = resolve(resource, filter.attrPath);
      const value = 'compValue' in filter ? filter.compValue : undefined;
      if (attr.kind === 'leaf') return compare(attr, attr.name, filter.op, value, p);
      if (!sub && filter.op === 'pr') return attr.present(p);
      // `emails eq "x"` compares the elements' value; `emails.type eq "work"` some element's type.
      return anyElement(attr, { op: filter.op, attrPath: sub ?? 'value', compValue: value } as Filter, p);
    }
  }
}

function countConditions(filter: Filter): number {
  if ('filters' in filter) return filter.filters.reduce((n, f) => n + countConditions(f), 0);
  if (filter.op === 'not') return countConditions(filter.filter);
  if (filter.op === '[]') return 1 + countConditions(filter.valFilter);
  return 1;
}

/** Why the parser refused a filter, in words that name the operator or token. */
function parseError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const operator = /^Unexpected token (\S+) (.*) as valFilter operator$/.exec(message);
  if (operator) return `Unsupported operator "${operator[2]}" after ${operator[1]}: use eq, ne, co, sw, ew, gt, ge, lt, le or pr`;
  if (err instanceof RangeError) return 'The filter nests too deeply';
  return `The filter is not valid (RFC 7644 §3.4.2.2): ${message.slice(0, 200)}`;
}

/**
 * A filter's SQL condition over `u` (directory_users) or `g` (directory_groups), with its named parameters;
 * null for no filter. Throws ScimError invalidFilter for anything it can't answer exactly.
 */
export function scimFilterSql(resource: ScimResource, filter: string | undefined): { where: string; params: Record<string, unknown> } | null {
  if (!filter?.trim()) return null;
  if (filter.length > MAX_FILTER_LENGTH) throw invalid(`The filter is longer than ${MAX_FILTER_LENGTH} characters`);
  let ast: Filter;
  try {
    ast = parse(filter.trim());
  } catch (err) {
    throw invalid(parseError(err));
  }
  if (countConditions(ast) > MAX_CONDITIONS) throw invalid(`The filter has more than ${MAX_CONDITIONS} conditions`);
  const params = new Params();
  return { where: compileFilter(resource, ast, params), params: params.values };
}
