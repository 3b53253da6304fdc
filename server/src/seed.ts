import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createUser } from './modules/accounts/accounts.service';
import { UserEntity } from './modules/users/user.entity';
import { createWorkspaceWithEnvironments } from './modules/workspace/workspace.service';

export const DEMO_EMAIL = 'demo@portico.localhost';

export interface DemoSignIn {
  email: string;
  /** Known only on the run that created it, or when kept in the data folder. */
  password: string | null;
  created: boolean;
}

/**
 * On an empty database, creates a demo user and workspace with a random password, kept in the data folder
 * (mode 600) so later starts can print it again. Never runs once any account exists.
 */
export async function seedDemoWorkspace(db: DataSource, dataDir: string | null): Promise<DemoSignIn | null> {
  const file = dataDir ? path.join(dataDir, 'demo-credentials.txt') : null;
  const hasUsers = await db.getRepository(UserEntity).exists();
  if (hasUsers) {
    if (!(await db.getRepository(UserEntity).existsBy({ email: DEMO_EMAIL }))) return null;
    const password = file && fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : null;
    return { email: DEMO_EMAIL, password, created: false };
  }
  const password = randomBytes(12).toString('base64url');
  await db.transaction(async (manager) => {
    const user = await createUser(manager, { name: 'Demo Admin', email: DEMO_EMAIL, password });
    await createWorkspaceWithEnvironments(manager, { name: 'Demo workspace', adminUserId: user.id });
  });
  if (file) fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return { email: DEMO_EMAIL, password, created: true };
}
