import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random bearer secret (256 bits), URL-safe. Only its hash is stored. */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 of a high-entropy token; fine for lookups because the token itself is unguessable. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
