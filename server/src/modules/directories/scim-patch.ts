import { findPrototypeKey, prototypeSegmentOf } from '../../lib/own-keys';
import { ScimError } from './scim-error';
import { enterpriseAttribute, SCHEMAS } from './scim-attributes';

type Json = Record<string, unknown>;

export interface PatchOperation {
  op: string;
  path?: string;
  value?: unknown;
}

export interface MemberChanges {
  add: string[];
  remove: string[];
  /** When set, the group's members become exactly these. */
  replace: string[] | null;
}

/** The operations of a PatchOp request, validated (RFC 7644 §3.5.2). Ops are case-insensitive: Entra ID sends "Replace". */
export function readOperations(body: unknown): PatchOperation[] {
  const b = (body ?? {}) as Json;
  const ops = (b.Operations ?? b.operations) as unknown;
  if (!Array.isArray(ops) || ops.length === 0) throw new ScimError(400, 'A PATCH needs Operations: [{ op, path?, value? }]', 'invalidSyntax');
  return ops.map((o, i) => {
    const op = String((o as Json)?.op ?? '').toLowerCase();
    if (!['add', 'replace', 'remove'].includes(op)) throw new ScimError(400, `Operations[${i}].op must be add, replace or remove`, 'invalidSyntax');
    const path = (o as Json).path;
    if (path !== undefined && typeof path !== 'string') throw new ScimError(400, `Operations[${i}].path must be a string`, 'invalidPath');
    if (op !== 'remove' && (o as Json).value === undefined) throw new ScimError(400, `Operations[${i}] needs a value`, 'invalidValue');
    if (op === 'remove' && !path && (o as Json).value === undefined) throw new ScimError(400, `Operations[${i}]: remove needs a path`, 'noTarget');
    // A path or key through __proto__ / constructor / prototype would write to Object.prototype: refused before any work.
    const named = typeof path === 'string' ? prototypeSegmentOf(path) : null;
    if (named) throw new ScimError(400, `Operations[${i}].path: "${named}" is not an attribute name`, 'invalidPath');
    const nested = findPrototypeKey((o as Json).value, `Operations[${i}].value`);
    if (nested) throw new ScimError(400, `${nested}: __proto__, constructor and prototype are not attribute names`, 'invalidPath');
    return { op, path: path as string | undefined, value: (o as Json).value };
  });
}

interface ParsedPath {
  /** The container: the resource, or an extension object (URN key). */
  schema: string | null;
  attribute: string;
  filter: { attribute: string; value: string } | null;
  subAttribute: string | null;
}

// The schema URN is everything before the last `:attribute` (URNs contain colons and dots themselves).
const EXTENSION_PREFIX = /^(urn:.+):([A-Za-z_][\w$-]*)((?:\[[^\]]*\])?(?:\.[A-Za-z_][\w$-]*)?)$/;

/** A PATCH path; for Users, an unqualified enterprise name (`manager`, `department`, …) is the extension's. */
function parsePath(path: string, resource: 'User' | 'Group' = 'Group'): ParsedPath {
  let rest = path.trim();
  let schema: string | null = null;
  // "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager" (RFC form) or "…:User.manager"
  if (rest.toLowerCase().startsWith('urn:')) {
    if (rest.toLowerCase().startsWith(`${SCHEMAS.user.toLowerCase()}:`)) rest = rest.slice(SCHEMAS.user.length + 1);
    else {
      const dotted = /^(urn:.+?:User)\.(.+)$/.exec(rest);
      const match = dotted ? [rest, dotted[1], dotted[2], ''] : EXTENSION_PREFIX.exec(rest);
      if (!match) throw new ScimError(400, `Unsupported path ${path}`, 'invalidPath');
      schema = match[1]!;
      rest = `${match[2]}${match[3] ?? ''}`;
    }
  }
  const match = /^([A-Za-z_][\w$-]*)(?:\[\s*([\w.]+)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*\])?(?:\.([A-Za-z_][\w$-]*))?$/.exec(rest);
  if (!match) throw new ScimError(400, `Unsupported path ${path}`, 'invalidPath');
  const enterprise = resource === 'User' && schema === null && !match[2] ? enterpriseAttribute(match[1]!) : null;
  if (enterprise) return { schema: SCHEMAS.enterprise, attribute: enterprise, filter: null, subAttribute: match[4] ?? null };
  return { schema, attribute: match[1]!, filter: match[2] ? { attribute: match[2], value: match[3]!.replace(/\\(.)/g, '$1') } : null, subAttribute: match[4] ?? null };
}

/** The key as the resource already spells it (attribute names are case-insensitive in SCIM), else as given. */
function keyIn(object: Json, name: string): string {
  return Object.keys(object).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
}

// Own properties only: even if a prototype name got past readOperations, a read never reaches Object.prototype and a
// write defines a property on this object (plain assignment to `__proto__` would replace its prototype instead).
const own = (object: Json, key: string): unknown => (Object.hasOwn(object, key) ? object[key] : undefined);

function put(object: Json, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
}

const matches = (item: unknown, filter: { attribute: string; value: string }) =>
  !!item && typeof item === 'object' && String(own(item as Json, keyIn(item as Json, filter.attribute))).toLowerCase() === filter.value.toLowerCase();

const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/** Merges `value` into `target` for add/replace without a path: each key is an attribute (or a dotted sub-attribute, as Entra sends). */
function mergeAttributes(target: Json, value: unknown, op: string): void {
  if (!isObject(value)) throw new ScimError(400, 'Without a path, value must be an object of attributes', 'invalidValue');
  for (const [name, v] of Object.entries(value)) {
    const key = keyIn(target, name);
    const current = own(target, key);
    if (name.includes('.') || name.toLowerCase().startsWith('urn:')) {
      applyAtPath(target, parsePath(name), op, v);
    } else if (op === 'add' && Array.isArray(v) && Array.isArray(current)) {
      put(target, key, [...current, ...v]);
    } else if (isObject(v) && isObject(current)) {
      put(target, key, { ...current, ...v });
    } else {
      put(target, key, v);
    }
  }
}

function applyAtPath(resource: Json, path: ParsedPath, op: string, value: unknown): void {
  let container = resource;
  if (path.schema) {
    const key = keyIn(resource, path.schema);
    if (!isObject(own(resource, key))) {
      if (op === 'remove') return;
      put(resource, key, {});
    }
    container = own(resource, key) as Json;
  }
  const key = keyIn(container, path.attribute);
  const current = own(container, key);
  if (path.filter) {
    const filter = path.filter;
    const list = Array.isArray(current) ? (current as Json[]) : [];
    if (op === 'remove') {
      put(container, key, path.subAttribute ? list.map((item) => (matches(item, filter) ? omit(item, path.subAttribute!) : item)) : list.filter((item) => !matches(item, filter)));
      return;
    }
    const hit = list.find((item) => matches(item, filter));
    if (path.subAttribute) {
      if (hit) put(hit, keyIn(hit, path.subAttribute), value);
      else list.push({ [filter.attribute]: filter.value, [path.subAttribute]: value });
    } else if (hit) {
      if (isObject(value)) for (const [k, v] of Object.entries(value)) put(hit, k, v);
    } else {
      list.push({ [filter.attribute]: filter.value, ...(isObject(value) ? value : {}) });
    }
    put(container, key, list);
    return;
  }
  if (path.subAttribute) {
    const parent = isObject(current) ? current : {};
    if (op === 'remove') delete parent[keyIn(parent, path.subAttribute)];
    else put(parent, keyIn(parent, path.subAttribute), value);
    put(container, key, parent);
    return;
  }
  if (op === 'remove') delete container[key];
  else if (op === 'add' && Array.isArray(current) && Array.isArray(value)) put(container, key, [...current, ...value]);
  else put(container, key, value);
}

function omit(object: Json, name: string): Json {
  const copy = { ...object };
  delete copy[keyIn(copy, name)];
  return copy;
}

/** Applies a PatchOp to a User's raw attributes; returns the new attributes (the input is not changed). */
export function patchUser(raw: Json, operations: PatchOperation[]): Json {
  const next = structuredClone(raw);
  for (const o of operations) {
    if (!o.path) mergeAttributes(next, o.value, o.op);
    else applyAtPath(next, parsePath(o.path, 'User'), o.op, o.value);
  }
  return next;
}

const memberIds = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((m) => (m && typeof m === 'object' ? String((m as Json).value ?? '') : String(m))).filter(Boolean);

/**
 * Applies a PatchOp to a Group: `members` changes (add, remove by value or by `members[value eq "…"]`, replace)
 * are returned separately, since memberships are rows; other attributes change the raw data.
 */
export function patchGroup(raw: Json, operations: PatchOperation[]): { raw: Json; members: MemberChanges } {
  const next = structuredClone(raw);
  const members: MemberChanges = { add: [], remove: [], replace: null };
  for (const o of operations) {
    const path = o.path ? parsePath(o.path) : null;
    if (path && path.attribute.toLowerCase() === 'members') {
      if (o.op === 'remove') members.remove.push(...(path.filter ? [path.filter.value] : o.value === undefined ? ['*'] : memberIds(o.value)));
      else if (o.op === 'add') members.add.push(...memberIds(o.value));
      else members.replace = memberIds(o.value);
      continue;
    }
    if (!path) {
      const value = { ...((o.value ?? {}) as Json) };
      const key = Object.keys(value).find((k) => k.toLowerCase() === 'members');
      if (key) {
        if (o.op === 'add') members.add.push(...memberIds(value[key]));
        else members.replace = memberIds(value[key]);
        delete value[key];
      }
      if (Object.keys(value).length) mergeAttributes(next, value, o.op);
      continue;
    }
    applyAtPath(next, path, o.op, o.value);
  }
  if (members.remove.includes('*')) {
    members.replace = [];
    members.remove = [];
  }
  return { raw: next, members };
}
