import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const onPostgres = process.env.PORTICO_TEST_DATABASE_KIND === 'postgres';

/** A new, empty PostgreSQL database beside the run's (same server), and a way to drop it. Needs real PostgreSQL. */
export async function freshDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new URL(process.env.PORTICO_TEST_DATABASE_URL!);
  const name = `portico_${label}_${randomBytes(4).toString('hex')}`;
  const run = async (sql: string) => {
    const client = new Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
