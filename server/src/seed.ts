import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AppDeps } from './context';
import { seedDemoData } from './demo-data';
import { logger } from './lib/logger';
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
 * (mode 600) so later starts can print it again, and fills its Staging environment with demo data through the
 * product's own code paths (demo-data.ts). Never runs once any account exists.
 */
export async function seedDemoWorkspace(deps: AppDeps, dataDir: string | null): Promise<DemoSignIn | null> {
  const { db } = deps;
  const file = dataDir ? path.join(dataDir, 'demo-credentials.txt') : null;
  const hasUsers = await db.getRepository(UserEntity).exists();
  if (hasUsers) {
    if (!(await db.getRepository(UserEntity).existsBy({ email: DEMO_EMAIL }))) return null;
    const password = file && fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : null;
    return { email: DEMO_EMAIL, password, created: false };
  }
  const password = randomBytes(12).toString('base64url');
  const { environments } = await db.transaction(async (manager) => {
    const user = await createUser(manager, { name: 'Demo Admin', email: DEMO_EMAIL, password });
    return createWorkspaceWithEnvironments(manager, { name: 'Demo workspace', adminUserId: user.id });
  });
  const started = Date.now();
  try {
    await seedDemoData(deps, environments.find((e) => e.kind === 'STAGING')!);
    logger.info(`Demo data created in ${Date.now() - started} ms`);
  } catch (err) {
    // The account works without its demo data; say so rather than refuse to start.
    logger.warn('The demo workspace was created, but its demo data could not be', { error: err instanceof Error ? err.stack : String(err) });
  }
  if (file) fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return { email: DEMO_EMAIL, password, created: true };
}
