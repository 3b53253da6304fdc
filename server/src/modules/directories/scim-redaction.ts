/**
 * End users' passwords in SCIM traffic. Okta sends one with new users and PATCHes `path: "password"` on resets;
 * Portico never needs them, and the SCIM log and raw attributes are read by every dashboard role. So a password is
 * dropped from what is stored as data and redacted from what is stored as a log, at any depth and in any case,
 * before anything is written.
 */

const REDACTED = '[redacted]';

/** A key or path segment that names a password (`password`, `Password`, `urn:…:User:password`, `name.password`). */
export function namesPassword(keyOrPath: string): boolean {
  return keyOrPath.replace(/"(?:[^"\\]|\\.)*"/g, '""').split(/[^\w$]+/).some((segment) => segment.toLowerCase() === 'password');
}

type Json = Record<string, unknown>;

function mapDeep(value: unknown, onPassword: 'drop' | 'redact'): unknown {
  if (Array.isArray(value)) return value.map((item) => mapDeep(item, onPassword));
  if (!value || typeof value !== 'object') return value;
  const out: Json = {};
  const object = value as Json;
  // A PatchOp operation targeting the password: its value is the password, whatever its key.
  const patchesPassword = typeof object.path === 'string' && Object.hasOwn(object, 'value') && namesPassword(object.path);
  for (const key of Object.keys(object)) {
    const passwordHere = namesPassword(key) || (patchesPassword && key === 'value');
    if (passwordHere && onPassword === 'drop') continue;
    Object.defineProperty(out, key, { value: passwordHere ? REDACTED : mapDeep(object[key], onPassword), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** A copy of SCIM data without any password key, for raw attributes. */
export function withoutPasswords<T>(value: T): T {
  return mapDeep(value, 'drop') as T;
}

/** A copy of a request or response body for the SCIM log, with passwords (keys and PATCH values) replaced by "[redacted]". */
export function redactPasswords<T>(value: T): T {
  return mapDeep(value, 'redact') as T;
}

/** A response body as sent (JSON text), redacted the same way; text that is not JSON is kept as is. */
export function redactPasswordsInText(text: string): string {
  try {
    return JSON.stringify(redactPasswords(JSON.parse(text)));
  } catch {
    return text;
  }
}
