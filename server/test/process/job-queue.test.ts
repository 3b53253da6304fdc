import { startTestApp, TEST_SECRET_KEY, type TestApp } from '../helpers/app';
import { startPorticoProcess, type PorticoProcess } from '../helpers/process';
import { startReceiver } from '../helpers/receiver';
import { buildSsoSetup } from '../helpers/sso';
import { freshDatabase, onPostgres } from '../helpers/databases';

// Several processes share one database only on PostgreSQL: the embedded engine's data folder is locked to one.
const maybe = onPostgres ? describe : describe.skip;

maybe('the job queue across Portico processes on one PostgreSQL database', () => {
  let app: TestApp;
  let own: Awaited<ReturnType<typeof freshDatabase>>;
  const processes: PorticoProcess[] = [];
  const env = {
    DATABASE_URL: '', PORTICO_SECRET_KEY: TEST_SECRET_KEY, PORTICO_ALLOW_PRIVATE_URLS: 'true',
    PORTICO_SEED_DEMO: 'false', HOUSEKEEPING_INTERVAL_SECONDS: '2', LOG_LEVEL: 'warn', SAML_WORKERS: '0',
  };
  // A database of its own, new each run: the kill -9 below leaves a housekeeping job active until it expires (15 min),
  // which on a shared database would hold off the next run's housekeeping (one at a time); and no other test
  // process's worker takes this file's jobs.
  beforeAll(async () => {
    own = await freshDatabase('jobqueue');
    env.DATABASE_URL = own.url;
    app = await startTestApp({}, { databaseUrl: own.url });
  });
  afterAll(async () => {
    for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await app?.close();
    await own?.drop();
  });

  it('two processes deliver each webhook once, never the same job at the same time, and run housekeeping once per period', async () => {
    let inFlight = 0;
    let maxInFlightPerEvent = 0;
    const active = new Map<string, number>();
    const receiver = await startReceiver((_req, res, body) => {
      const id = JSON.parse(body).id as string;
      active.set(id, (active.get(id) ?? 0) + 1);
      maxInFlightPerEvent = Math.max(maxInFlightPerEvent, active.get(id)!);
      inFlight += 1;
      setTimeout(() => {
        active.set(id, active.get(id)! - 1);
        inFlight -= 1;
        res.end('ok');
      }, 200);
    });
    try {
      const { workos } = await buildSsoSetup(app, { scope: 'FULL_ENVIRONMENT' });
      await workos.webhooks.createWebhookEndpoint({ endpointUrl: receiver.url, events: ['organization.created'] });
      const since = new Date();
      processes.push(await startPorticoProcess(env), await startPorticoProcess(env));
      const orgs = await Promise.all(Array.from({ length: 40 }, (_, i) => workos.organizations.createOrganization({ name: `Parallel ${i}` })));
      const got = await receiver.waitFor(40, 30_000);
      await new Promise((r) => setTimeout(r, 2_000));
      const ids = receiver.received.map((r) => JSON.parse(r.body).data.id as string);
      expect(new Set(ids)).toEqual(new Set(orgs.map((o) => o.id)));
      expect(receiver.received).toHaveLength(40); // each exactly once
      expect(got.length).toBe(40);
      expect(maxInFlightPerEvent).toBe(1);
      // One attempt each: no job was claimed by both processes (pg-boss claims with FOR UPDATE SKIP LOCKED).
      const attempts = await app.db.query(`SELECT count(*)::int AS n FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id JOIN events e ON e.id = d.event_id WHERE e.organization_id = ANY($1)`, [orgs.map((o) => o.id)]);
      expect(attempts[0].n).toBe(40);

      // Housekeeping: one job per 2-second period, whatever the number of processes, never two running at once.
      await new Promise((r) => setTimeout(r, 6_000));
      const runs: { singleton_on: Date; started_on: Date; completed_on: Date }[] = await app.db.query(
        `SELECT singleton_on, started_on, completed_on FROM pgboss.job WHERE name = 'housekeeping' AND created_on >= $1 AND state = 'completed'
         UNION ALL SELECT singleton_on, started_on, completed_on FROM pgboss.archive WHERE name = 'housekeeping' AND created_on >= $1 AND state = 'completed'
         ORDER BY started_on`,
        [since],
      );
      const elapsedPeriods = (Date.now() - since.getTime()) / 2_000;
      expect(runs.length).toBeGreaterThanOrEqual(3);
      expect(runs.length).toBeLessThanOrEqual(Math.ceil(elapsedPeriods) + 1);
      expect(new Set(runs.map((r) => r.singleton_on.getTime())).size).toBe(runs.length);
      for (let i = 1; i < runs.length; i++) expect(runs[i]!.started_on.getTime()).toBeGreaterThanOrEqual(runs[i - 1]!.completed_on.getTime());
    } finally {
      for (const p of processes.splice(0)) await p.stop();
      await receiver.close();
    }
  }, 90_000);

  it('a delivery in flight when its process is killed (kill -9) is delivered after a restart', async () => {
    let answer = false;
    const receiver = await startReceiver((_req, res) => {
      if (answer) res.end('ok'); // until then: hold the request open, as a slow receiver would
    });
    try {
      const { workos } = await buildSsoSetup(app, { scope: 'FULL_ENVIRONMENT' });
      await workos.webhooks.createWebhookEndpoint({ endpointUrl: receiver.url, events: ['organization.created'] });
      const first = await startPorticoProcess(env);
      processes.push(first);
      const org = await workos.organizations.createOrganization({ name: 'Crash' });
      await receiver.waitFor(1, 10_000);
      first.child.kill('SIGKILL');
      await new Promise((r) => first.child.once('exit', r));
      answer = true;
      processes.push(await startPorticoProcess(env));
      const got = await receiver.waitFor(2, 70_000);
      expect(got.map((r) => JSON.parse(r.body).data.id)).toEqual([org.id, org.id]);
      await new Promise((r) => setTimeout(r, 500));
      const [delivery] = await app.db.query(`SELECT d.status FROM webhook_deliveries d JOIN events e ON e.id = d.event_id WHERE e.organization_id = $1`, [org.id]);
      expect(delivery.status).toBe('delivered');
    } finally {
      for (const p of processes.splice(0)) await p.stop();
      await receiver.close();
    }
  }, 120_000);
});
