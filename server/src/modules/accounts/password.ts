import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): about 20 ms a hash on these machines.
const OPTIONS = { algorithm: 2 /* Argon2id; the const enum can't cross isolatedModules */, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Burns the same time as a real check, so an unknown email can't be told apart by response time. */
export async function verifyAgainstDummy(password: string): Promise<void> {
  dummyHash ??= hashPassword('portico-timing-equaliser');
  await verifyPassword(await dummyHash, password);
}
