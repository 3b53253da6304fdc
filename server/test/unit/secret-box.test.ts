import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveSecretKey, SecretBox } from '../../src/lib/secret-box';
import { setLogLevel } from '../../src/lib/logger';

describe('SecretBox', () => {
  const box = new SecretBox('k'.repeat(40));

  it('round-trips, and a ciphertext opens only under its own key and context', () => {
    const sealed = box.seal('-----BEGIN PRIVATE KEY-----', 'connection:conn_1:sp_private_key');
    expect(sealed).not.toContain('PRIVATE');
    expect(box.open(sealed, 'connection:conn_1:sp_private_key')).toBe('-----BEGIN PRIVATE KEY-----');
    expect(() => box.open(sealed, 'connection:conn_2:sp_private_key')).toThrow();
    expect(() => new SecretBox('z'.repeat(40)).open(sealed, 'connection:conn_1:sp_private_key')).toThrow();
    const [v, iv, tag, body] = sealed.split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0]! ^= 1;
    expect(() => box.open([v, iv, tag, flipped.toString('base64url')].join('.'), 'connection:conn_1:sp_private_key')).toThrow();
  });

  it('refuses a short key, and creates a key file (0600) once when none is configured', () => {
    setLogLevel('silent');
    expect(() => new SecretBox('short')).toThrow(/32 characters/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-key-'));
    const first = resolveSecretKey(undefined, dir);
    expect(resolveSecretKey(undefined, dir)).toBe(first);
    expect(fs.statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(resolveSecretKey('configured-key', dir)).toBe('configured-key');
  });
});
