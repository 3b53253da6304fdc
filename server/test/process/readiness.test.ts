import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { TEST_SECRET_KEY, type TestApp } from '../helpers/app';
import { createDataSource } from '../../src/db/data-source';
import { freshDatabase, onPostgres } from '../helpers/databases';
import { MAIN, freePort, startPorticoProcess } from '../helpers/process';
import { buildSsoSetup, CALLBACK, startSignIn } from '../helpers/sso';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function status(url: string): Promise<{ code: number; body: unknown } | 'refused'> {
  try {
    const res = await fetch(url);
    return { code: res.status, body: await res.json() };
  } catch {
    return 'refused';
  }
}

describe('readiness: /ready beside /health', () => {
  it('answers /ready 503 "starting" while the database opens and migrates (/health, liveness, 200 meanwhile), then 200 with each check passing', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-ready-'));
    const port = await freePort();
    const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', PORTICO_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', PORTICO_SEED_DEMO: 'false', SAML_WORKERS: '1' }, stdio: 'ignore' });
    try {
      const seen: string[] = [];
      const livenessWhileStarting: string[] = [];
      let ready: { code: number; body: unknown } | null = null;
      for (let i = 0; i < 2000 && !ready; i += 1) {
        const answer = await status(`http://127.0.0.1:${port}/ready`);
        if (answer === 'refused') {
          await sleep(20);
          continue;
        }
        seen.push(`${answer.code} ${JSON.stringify(answer.body)}`);
        if (answer.code === 200) ready = answer;
        else if (seen.length <= 3) {
          const health = await status(`http://127.0.0.1:${port}/health`);
          if (health !== 'refused') livenessWhileStarting.push(`${health.code} ${JSON.stringify(health.body)}`);
        }
        await sleep(100);
      }
      expect(seen[0]).toBe('503 {"status":"starting"}');
      // Alive from the first answer: a liveness probe must not kill a process busy migrating.
      expect(livenessWhileStarting[0]).toBe('200 {"status":"ok","database":"embedded"}');
      expect(ready?.body).toEqual({ status: 'ready', checks: { database: true, migrations: true, validationPool: true } });
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000); // a first start on a fresh data folder creates the embedded database: slow on a busy machine
});

// A second session holding a lock needs real PostgreSQL (the embedded engine is one session).
(onPostgres ? describe : describe.skip)('graceful stop (SIGTERM)', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let db: DataSource;
  beforeAll(async () => {
    database = await freshDatabase('drain');
    db = await createDataSource({ url: database.url }, 2).initialize();
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('answers /ready 503 at once, keeps serving for PORTICO_DRAIN_SECONDS, then refuses connections, and lets an in-flight sign-in finish before exiting', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const portico = await startPorticoProcess({ DATABASE_URL: database.url, PORT: String(port), PUBLIC_URL: url, PORTICO_SEED_DEMO: 'false', PORTICO_SECRET_KEY: TEST_SECRET_KEY, SAML_WORKERS: '1', PORTICO_DRAIN_SECONDS: '1' });
    const exited = new Promise<number | null>((resolve) => portico.child.once('exit', (code) => resolve(code)));
    const setup = await buildSsoSetup({ url, db } as TestApp);
    const started = await startSignIn(setup.workos.sso.getAuthorizationUrl({ connection: setup.connection.id, redirectUri: CALLBACK, state: 'slow', clientId: setup.environment.clientId }));
    const response = await setup.idp.response(setup.connection, { inResponseTo: started.requestId });
    expect((await fetch(`${url}/ready`)).status).toBe(200);

    const locker = new Client({ connectionString: database.url });
    try {
      // A slow sign-in: the ACS request waits on a lock this test holds on the sessions table.
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE sso_sessions IN ACCESS EXCLUSIVE MODE');
      const events: string[] = [];
      const acs = fetch(`${url}/sso/saml/acs/${setup.connection.id}`, { method: 'POST', body: new URLSearchParams({ SAMLResponse: response, RelayState: started.relayState! }), redirect: 'manual' })
        .then((res) => {
          events.push('acs answered');
          return res;
        });
      void exited.then(() => events.push('exited'));
      for (let i = 0; i < 100; i += 1) {
        const { rows } = await locker.query(`SELECT count(*)::int AS waiting FROM pg_locks WHERE relation = 'sso_sessions'::regclass AND NOT granted`);
        if (rows[0].waiting > 0) break;
        await sleep(20);
      }

      portico.child.kill('SIGTERM');
      await sleep(200);
      // Draining: not ready, still alive, still serving.
      expect(await status(`${url}/ready`)).toEqual({ code: 503, body: { status: 'draining' } });
      expect((await status(`${url}/health`) as { code: number }).code).toBe(200);
      await sleep(1300);
      // The drain time is over: no new connections, but the sign-in in flight is still waiting and the process alive.
      expect(await status(`${url}/health`)).toBe('refused');
      expect(events).toEqual([]);

      await locker.query('COMMIT');
      const res = await acs;
      expect(res.status).toBe(302);
      expect(new URL(res.headers.get('location')!).searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(await exited).toBe(0);
      expect(events).toEqual(['acs answered', 'exited']);
      const [row] = await db.query('SELECT state FROM sso_sessions WHERE id = $1', [started.relayState]);
      expect(row.state).toBe('AUTHORIZED');
    } finally {
      await locker.end().catch(() => undefined);
      portico.child.kill('SIGKILL');
    }
    expect(portico.output()).toContain('"message":"requests in flight finished","inFlight":1');
  }, 120_000);
});
