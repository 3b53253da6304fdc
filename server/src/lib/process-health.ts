/**
 * Whether this process's built-in prototypes are as Node made them. An enumerable key on Object.prototype (prototype
 * pollution) shows up in every `for…in` and in TypeORM's entity walks, so every request would fail while the database
 * is fine: /health must then say unhealthy, so the orchestrator replaces the process.
 */
const PROTOTYPES: [string, object][] = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
  ['String.prototype', String.prototype],
];

/** `Object.prototype.polluted`-style names of unexpected enumerable keys; empty when healthy. */
export function pollutedPrototypeKeys(): string[] {
  return PROTOTYPES.flatMap(([name, prototype]) => Object.keys(prototype).map((key) => `${name}.${key}`));
}
