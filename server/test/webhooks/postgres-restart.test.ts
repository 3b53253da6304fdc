import type http from 'node:http';
import { startTestApp, TEST_SECRET_KEY, type TestApp } from '../helpers/app';
import { freshDatabase, onPostgres } from '../helpers/databases';
import { startPorticoProcess, type PorticoProcess } from '../helpers/process';
import { startReceiver, type Received } from '../helpers/receiver';
import { buildSsoSetup } from '../helpers/sso';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';
import { createDataSource } from '../../src/db/data-source';
import { enqueueInTransaction, JobQueue } from '../../src/modules/jobs/job-queue';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const eventOf = (r: Received) => JSON.parse(r.body) as { id: string; event: string; data: { id: string; name: string } };

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

// A database server going away needs a real one behind a proxy: the embedded engine lives inside the process.
const describeOnPostgres = onPostgres ? describe : describe.skip;
const title = onPostgres ? 'webhook delivery across a PostgreSQL restart' : 'webhook delivery across a PostgreSQL restart (skipped: PostgreSQL only, the embedded engine cannot restart apart from Portico)';

describeOnPostgres(title, () => {
  let own: Awaited<ReturnType<typeof freshDatabase>>;
  let app: TestApp;
  let proxy: TcpProxy;
  let portico: PorticoProcess | undefined;

  // A database of its own: on the run's shared database another test process's job worker could take the job.
  beforeAll(async () => {
    own = await freshDatabase('pgrestart');
    app = await startTestApp({}, { databaseUrl: own.url }); // reaches PostgreSQL directly; runs no job worker
    const target = new URL(own.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  });
  afterAll(async () => {
    if (portico?.child.exitCode === null) portico.child.kill('SIGKILL');
    await proxy?.close();
    await app?.close();
    await own?.drop();
  });

  it('delivers a webhook queued while PostgreSQL is down and one in flight when it went down, each under its one event ID, logs them, and keeps working', async () => {
    let release: (() => void) | null = null;
    const receiver = await startReceiver((_req: http.IncomingMessage, res: http.ServerResponse, body: string) => {
      // The "in flight" delivery is held open until the test has cut the database, then acknowledged.
      if (JSON.parse(body).data.name === 'In flight' && !release) release = () => res.end('ok');
      else res.end('ok');
    });
    // Checked after each phase, so a crash shows as one, with the process's output, not as a delivery that never came.
    const stillRunning = () => {
      if (portico!.child.exitCode !== null) throw new Error(`Portico exited with ${portico!.child.exitCode}:\n${portico!.output()}`);
    };
    try {
      const { workos } = await buildSsoSetup(app, { scope: 'FULL_ENVIRONMENT' });
      const endpoint = await workos.webhooks.createWebhookEndpoint({ endpointUrl: `${receiver.url}/hooks`, events: ['organization.created'] });
      portico = await startPorticoProcess({
        DATABASE_URL: proxy.urlFor(own.url), PORTICO_SECRET_KEY: TEST_SECRET_KEY, PORTICO_ALLOW_PRIVATE_URLS: 'true', PORTICO_SEED_DEMO: 'false',
        SAML_WORKERS: '0', LOG_LEVEL: 'warn', HOUSEKEEPING_INTERVAL_SECONDS: '2',
      });
      expect((await fetch(`${portico.url}/ready`)).status).toBe(200);
      expect(proxy.open).toBeGreaterThan(0);

      // 1. Queued while the database is away: the event is committed (directly), the worker can't reach it.
      await proxy.cut();
      const queued = await workos.organizations.createOrganization({ name: 'Queued' });
      await sleep(4_000);
      expect(receiver.received).toHaveLength(0);
      // The process is alive but not ready: liveness must not restart it for the database's sake.
      expect((await fetch(`${portico.url}/health`)).status).toBe(200);
      expect((await fetch(`${portico.url}/ready`)).status).toBe(503);
      stillRunning();
      await proxy.restore();
      const [first] = await receiver.waitFor(1, 30_000);
      expect(first && eventOf(first).data.id).toBe(queued.id);

      // 2. In flight: the receiver has the POST when the database goes; it acknowledges while the database is away.
      const inFlight = await workos.organizations.createOrganization({ name: 'In flight' });
      await until('the in-flight POST', async () => release ?? undefined, 20_000);
      await proxy.cut();
      release!();
      await sleep(4_000);
      stillRunning();
      await proxy.restore();

      // 3. The worker goes on: a later event is delivered too.
      const after = await workos.organizations.createOrganization({ name: 'After' });
      await until('the event after the restart', async () => (receiver.received.some((r) => eventOf(r).data.id === after.id) ? true : undefined), 90_000);
      await until('the in-flight delivery recorded', async () => {
        const [row] = await app.db.query(`SELECT d.status FROM webhook_deliveries d JOIN events e ON e.id = d.event_id WHERE e.organization_id = $1`, [inFlight.id]);
        return row?.status === 'delivered' ? true : undefined;
      }, 90_000);
      await sleep(1_000);

      // Every POST of one event carries that event's ID and verifies: a receiver deduplicates on it.
      const byOrg = new Map<string, Received[]>();
      for (const r of receiver.received) byOrg.set(eventOf(r).data.id, [...(byOrg.get(eventOf(r).data.id) ?? []), r]);
      expect([...byOrg.keys()].sort()).toEqual([queued.id, inFlight.id, after.id].sort());
      for (const [, posts] of byOrg) {
        expect(new Set(posts.map((p) => eventOf(p).id)).size).toBe(1);
        for (const p of posts) await expect(workos.webhooks.constructEvent({ payload: JSON.parse(p.body), sigHeader: p.signature, secret: endpoint.secret! })).resolves.toBeTruthy();
      }
      // Exactly once, even the one in flight: its answer waited for the database (the job was still the worker's).
      for (const org of [queued.id, inFlight.id, after.id]) expect(byOrg.get(org)).toHaveLength(1);

      // The delivery log: one delivery per event, delivered, with its one attempt.
      const log: Array<{ org: string; status: string; attempts: number; rows: number; succeeded: number }> = await app.db.query(
        `SELECT e.organization_id AS org, d.status, d.attempts, count(a.id)::int AS rows, count(a.id) FILTER (WHERE a.succeeded)::int AS succeeded
         FROM webhook_deliveries d JOIN events e ON e.id = d.event_id LEFT JOIN webhook_attempts a ON a.delivery_id = d.id
         WHERE d.endpoint_id = $1 GROUP BY e.organization_id, d.status, d.attempts`,
        [endpoint.id],
      );
      expect(log.sort((a, b) => a.org.localeCompare(b.org))).toEqual(
        [queued.id, inFlight.id, after.id].sort().map((org) => ({ org, status: 'delivered', attempts: 1, rows: 1, succeeded: 1 })),
      );

      // The worker process lived through it: still running, ready again, nothing unhandled; it stops cleanly.
      stillRunning();
      expect((await fetch(`${portico.url}/ready`)).status).toBe(200);
      expect(portico.output()).not.toMatch(/unhandled|uncaught|could not start|at .*node_modules/i);
      expect(await portico.stop()).toBe(0);
    } finally {
      (release as (() => void) | null)?.();
      await receiver.close();
      await portico?.stop();
    }
  }, 240_000);

  it('records a job\'s outcome once PostgreSQL is back when it went away as the job finished, with no unhandled rejection, and goes on taking jobs', async () => {
    // pg-boss writes the outcome after the handler without awaiting it: unguarded, this was an unhandled rejection.
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    await proxy.restore();
    const db = await createDataSource({ url: proxy.urlFor(own.url) }, 2).initialize();
    const queue = new JobQueue(db);
    const handled: string[] = [];
    try {
      await queue.start([{
        name: 'notification', pollingIntervalSeconds: 0.5,
        async handler(jobs) {
          for (const job of jobs) handled.push((job.data as { label: string }).label);
          if (handled.length === 1) {
            await proxy.cut(); // the database goes just as the job ends: its outcome can't be written now
            setTimeout(() => void proxy.restore(), 3_000);
          }
        },
      }]);
      const enqueue = (label: string) => app.db.transaction((m) => enqueueInTransaction(m, 'notification', [{ data: { label } }]));
      await enqueue('first');
      const [{ id }] = await app.db.query(`SELECT id FROM pgboss.job WHERE name = 'notification' AND data->>'label' = 'first'`);
      const state = () => app.db.query('SELECT state::text AS state FROM pgboss.job WHERE id = $1', [id]).then((rows: Array<{ state: string }>) => rows[0]?.state);
      await until('the first job handled', async () => (handled.length ? true : undefined), 20_000);
      await sleep(1_000);
      expect(await state()).toBe('active'); // handled, its outcome waiting for the database
      expect(await until('the first job completed', async () => ((await state()) === 'completed' ? 'completed' : undefined), 30_000)).toBe('completed');
      await enqueue('second');
      await until('the second job handled', async () => (handled.includes('second') ? true : undefined), 20_000);
      expect(handled).toEqual(['first', 'second']);
      expect(unhandled).toEqual([]);
    } finally {
      await proxy.restore();
      await queue.stop();
      await db.destroy();
      process.off('unhandledRejection', onUnhandled);
    }
  }, 120_000);
});
