import { ScimError } from './scim-error';

export const SCHEMAS = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterprise: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  list: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patch: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
} as const;

type Json = Record<string, unknown>;

/** SCIM booleans as providers send them: Entra ID sends `"False"` and `"True"` as strings. */
export function scimBoolean(value: unknown, field: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  throw new ScimError(400, `${field} must be a boolean`, 'invalidValue');
}

/** The key of `object` that `path` starts with (longest first, so URN keys with dots in them work), and the rest. */
function splitKey(object: Json, path: string): [string, string] | null {
  let best: string | null = null;
  for (const key of Object.keys(object)) {
    if (path.toLowerCase() === key.toLowerCase() || (path.toLowerCase().startsWith(key.toLowerCase()) && '.['.includes(path[key.length] ?? ''))) {
      if (!best || key.length > best.length) best = key;
    }
  }
  return best === null ? null : [best, path.slice(best.length).replace(/^\./, '')];
}

/** The value at a dotted path in raw SCIM data (`name.givenName`, `emails[0].value`, `urn:…:2.0:User.manager.value`); undefined when absent. */
export function valueAtPath(raw: unknown, path: string): unknown {
  if (!path) return raw;
  if (Array.isArray(raw)) {
    const match = /^\[(\d+)\]\.?(.*)$/.exec(path);
    return match ? valueAtPath(raw[Number(match[1])], match[2]!) : undefined;
  }
  if (!raw || typeof raw !== 'object') return undefined;
  const split = splitKey(raw as Json, path);
  return split ? valueAtPath((raw as Json)[split[0]], split[1]) : undefined;
}

/** Every leaf path of raw SCIM data with its value, as the attribute-mapping UI offers them. */
export function leafPaths(raw: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (Array.isArray(raw)) {
    raw.slice(0, 5).forEach((item, i) => leafPaths(item, `${prefix}[${i}]`, out));
  } else if (raw && typeof raw === 'object') {
    for (const [key, value] of Object.entries(raw as Json)) {
      if (key === 'schemas' || key === 'meta' || key === 'id') continue;
      leafPaths(value, prefix ? `${prefix}.${key}` : key, out);
    }
  } else if (prefix && raw !== undefined && raw !== null) {
    out.set(prefix, raw);
  }
  return out;
}

export interface StandardUserFields {
  userName: string;
  externalId: string | null;
  idpId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  active: boolean;
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** WorkOS's standardized fields from a SCIM User, as every supported provider shapes it. */
export function standardUserFields(raw: Json): StandardUserFields {
  const userName = str(raw.userName);
  if (!userName) throw new ScimError(400, 'userName is required', 'invalidValue');
  const emails = Array.isArray(raw.emails) ? (raw.emails as Json[]) : [];
  const primary = emails.find((e) => e && (e.primary === true || e.primary === 'true' || e.primary === 'True')) ?? emails.find((e) => e?.type === 'work') ?? emails[0];
  const name = (raw.name ?? {}) as Json;
  const externalId = str(raw.externalId);
  return {
    userName,
    externalId,
    idpId: externalId ?? userName,
    email: (str(primary?.value) ?? (userName.includes('@') ? userName : null))?.toLowerCase() ?? null,
    firstName: str(name.givenName),
    lastName: str(name.familyName),
    active: raw.active === undefined ? true : scimBoolean(raw.active, 'active'),
  };
}

/**
 * The enterprise extension's attributes (RFC 7643 §4.3). The core User schema has none of these names, so an
 * unqualified `manager` or `department` (Entra's older PATCH form) means the extension's.
 */
export const ENTERPRISE_ATTRIBUTES = ['employeeNumber', 'costCenter', 'organization', 'division', 'department', 'manager'] as const;

export function enterpriseAttribute(name: string): string | null {
  return ENTERPRISE_ATTRIBUTES.find((a) => a.toLowerCase() === name.toLowerCase()) ?? null;
}

const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * `manager` in its complex form, `{ value, displayName? }`, from what providers send: Entra ID's bare id string,
 * the object, or `[{ value }]`. Null when it names no one (an empty string or value): the manager is removed.
 */
export function managerValue(input: unknown): Json | null {
  const item = Array.isArray(input) ? input[0] : input;
  if (typeof item === 'string' || typeof item === 'number') return String(item).trim() ? { value: String(item).trim() } : null;
  if (!isObject(item)) return null;
  const value = typeof item.value === 'string' || typeof item.value === 'number' ? String(item.value).trim() : '';
  if (!value) return null;
  return { value, ...(typeof item.displayName === 'string' ? { displayName: item.displayName } : {}) };
}

/**
 * A User's raw attributes with the enterprise extension as RFC 7643 shapes it: unqualified enterprise attributes
 * moved into the extension (the later write wins), `manager` complex, and the extension's URN in `schemas`.
 * Returns a new object; the input is not changed.
 */
export function normalizeUserRaw(raw: Json): Json {
  const out: Json = { ...raw };
  const extensionKey = Object.keys(out).find((k) => k.toLowerCase() === SCHEMAS.enterprise.toLowerCase()) ?? SCHEMAS.enterprise;
  const existing = out[extensionKey];
  const extension: Json = isObject(existing) ? { ...existing } : {};
  let touched = isObject(existing);
  for (const key of Object.keys(out)) {
    const name = enterpriseAttribute(key);
    if (!name) continue;
    const current = Object.keys(extension).find((k) => k.toLowerCase() === name.toLowerCase());
    if (current) delete extension[current];
    extension[name] = out[key];
    delete out[key];
    touched = true;
  }
  if (!touched) return out;
  const managerKey = Object.keys(extension).find((k) => k.toLowerCase() === 'manager');
  if (managerKey) {
    const manager = managerValue(extension[managerKey]);
    delete extension[managerKey];
    if (manager) extension.manager = manager;
  }
  out[extensionKey] = extension;
  if (Array.isArray(out.schemas) && !out.schemas.some((s) => typeof s === 'string' && s.toLowerCase() === SCHEMAS.enterprise.toLowerCase())) {
    out.schemas = [...out.schemas, SCHEMAS.enterprise];
  }
  return out;
}
