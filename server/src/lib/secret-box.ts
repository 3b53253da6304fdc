import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { logger } from './logger';

const VERSION = 'v1';

/**
 * Encrypts secrets at rest (SP private keys, OAuth client secrets) with AES-256-GCM under a key derived from
 * PORTICO_SECRET_KEY by HKDF. The stored form is `v1.<iv>.<tag>.<ciphertext>` (base64url), so a later key
 * scheme can sit beside this one. The additional data binds a ciphertext to its purpose and row: a value
 * copied into another row does not decrypt.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(secret: string) {
    if (secret.length < 32) throw new Error('PORTICO_SECRET_KEY must be at least 32 characters');
    this.key = Buffer.from(hkdfSync('sha256', secret, 'portico', 'portico secret box v1', 32));
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  open(sealed: string, context: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('Unknown secret format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/** PORTICO_SECRET_KEY, or a random key kept in `<dataDir>/secret.key` (mode 0600), created on first use. */
export function resolveSecretKey(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, 'secret.key');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64url');
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  logger.warn(`PORTICO_SECRET_KEY is not set: created ${file}. Set PORTICO_SECRET_KEY in production and keep it safe.`);
  return key;
}
