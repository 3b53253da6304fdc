/**
 * User-chosen names used as object keys. `obj[name]` walks the prototype chain, so a name like `__proto__`,
 * `constructor` or `toString` reaches Object.prototype: reading it returns a function (which TypeORM then takes for
 * raw SQL), and writing through it pollutes every object in the process. These helpers look at own properties only.
 */

/** Names that lead from a plain object to its prototype; refused as keys and as path segments, in any case. */
const PROTOTYPE_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

export function isPrototypeName(name: string): boolean {
  return PROTOTYPE_NAMES.has(name.toLowerCase());
}

/**
 * The first segment of a dotted / bracketed / URN path (`name.givenName`, `emails[type eq "work"].value`,
 * `urn:…:User:manager`) that is a prototype name, or null. Quoted filter values are data, not names, so they are skipped.
 */
export function prototypeSegmentOf(path: string): string | null {
  const names = path.replace(/"(?:[^"\\]|\\.)*"/g, '""').split(/[^\w$]+/);
  return names.find((n) => n && isPrototypeName(n)) ?? null;
}

/**
 * Where in parsed JSON a key is, or contains, a prototype name (`Operations[0].value["name.__proto__"]`), or null.
 * Iterative, so a deeply nested body can't overflow the stack.
 */
export function findPrototypeKey(value: unknown, root = ''): string | null {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length) {
    const [node, at] = stack.pop()!;
    if (!node || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      node.forEach((item, i) => stack.push([item, `${at}[${i}]`]));
      continue;
    }
    for (const key of Object.keys(node)) {
      const where = /^[A-Za-z_$][\w$]*$/.test(key) ? (at ? `${at}.${key}` : key) : `${at}[${JSON.stringify(key)}]`;
      if (prototypeSegmentOf(key)) return where;
      stack.push([(node as Record<string, unknown>)[key], where]);
    }
  }
  return null;
}

/** `table[key]` when `key` is the table's own entry, else undefined (never an inherited `toString` or `constructor`). */
export function ownEntry<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Narrows a user string to a key of `table`, by own properties only. */
export function isOwnKey<T extends object>(table: T, key: string): key is Extract<keyof T, string> {
  return Object.hasOwn(table, key);
}
