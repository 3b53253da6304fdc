'use strict';
// npm run bench:webhooks — 10,000 events (SCIM user creations) delivered as signed webhooks to a local receiver that
// verifies every signature with the official SDK; Portico is killed (kill -9) mid-run and restarted. Figures: events
// created per second, delivery latency p50/p99 from the SCIM response (the commit) to receipt, and how many events
// were delivered zero times (must be 0) or more than once (at-least-once allows it; reported).
const crypto = require('node:crypto');
const http = require('node:http');
const { WorkOS } = require('@workos-inc/node');
const { createFixtureBeside, dist, openDatabase, percentile, result, startServer } = require('./lib/harness');

const EVENTS = Number(process.env.BENCH_EVENTS || 10_000);
const IN_FLIGHT = 8;
const DRAIN_SECONDS = Number(process.env.BENCH_DRAIN_SECONDS || 180);

async function startReceiver(secretOf, onEvent) {
  const workos = new WorkOS('sk_test_unused');
  let bad = 0;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const at = Date.now();
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        const event = await workos.webhooks.constructEvent({ payload: JSON.parse(body), sigHeader: String(req.headers['workos-signature']), secret: secretOf() });
        onEvent(event, at);
        res.end('ok');
      } catch {
        bad += 1;
        res.statusCode = 400;
        res.end('bad signature');
      }
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}/webhooks`, badSignatures: () => bad, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) };
}

async function main() {
  const database = await openDatabase();
  const env = { PORTICO_SECRET_KEY: crypto.randomBytes(32).toString('hex'), PORTICO_ALLOW_PRIVATE_URLS: 'true', SAML_WORKERS: '0' };
  // The embedded engine is the server's own (as with npm start): the server starts before the fixture is written.
  let server = await startServer(database, env);
  const fixture = await createFixtureBeside(database, server);
  const received = new Map(); // event id → receipt times
  const committedAt = new Map(); // directory user id → when its SCIM creation answered
  const latencies = [];
  let receiver;
  try {
    const { createOrganization } = dist('modules/organizations/organizations.service');
    const { createDirectory } = dist('modules/directories/directories.service');
    const org = await createOrganization(fixture.db, fixture.scope, fixture.environment.id, { name: 'Acme', domains: [{ domain: 'acme.com', state: 'verified' }] });
    const { directory, token } = await createDirectory(fixture.db, fixture.scope, org.id, { type: 'okta scim v2.0' });
    let secret = null;
    receiver = await startReceiver(() => secret, (event, at) => {
      if (event.event !== 'dsync.user.created') return;
      const times = received.get(event.id) ?? [];
      times.push(at);
      received.set(event.id, times);
      const committed = committedAt.get(event.data.id);
      if (times.length === 1 && committed !== undefined) latencies.push(Math.max(0, at - committed));
    });
    const created = await fetch(`${server.url}/webhook_endpoints`, {
      method: 'POST', headers: { authorization: `Bearer ${fixture.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ endpoint_url: receiver.url, events: ['dsync.user.created'] }),
    }).then((r) => r.json());
    secret = created.secret;
    if (!secret) throw new Error(`could not create the webhook endpoint: ${JSON.stringify(created)}`);

    const scim = async (i) => {
      const body = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `user${i}@acme.com`, externalId: `00u${i}`, active: true, name: { givenName: 'User', familyName: String(i) }, emails: [{ primary: true, value: `user${i}@acme.com` }] };
      for (;;) {
        try {
          const res = await fetch(`${server.url}/scim/v2/${directory.id}/Users`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' }, body: JSON.stringify(body) });
          const json = await res.json();
          if (res.status === 201) return void committedAt.set(json.id, Date.now());
          if (res.status === 409) return; // created before the crash; its commit time is unknown
          throw new Error(`${res.status}`);
        } catch {
          await new Promise((r) => setTimeout(r, 200)); // the server is down (killed): retry once it is back
        }
      }
    };
    const killAt = Math.floor(EVENTS / 2);
    let next = 0;
    let killed = false;
    const started = Date.now();
    await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
      while (next < EVENTS) {
        const i = next++;
        if (i === killAt && !killed) {
          killed = true;
          process.kill(server.pid, 'SIGKILL');
          console.log(`kill -9 of Portico after ${i} creations (${received.size} delivered so far); restarting`);
          server = await startServer(database, env);
        }
        await scim(i);
      }
    }));
    const createSeconds = (Date.now() - started) / 1000;
    const [{ n: expected }] = await fixture.db.query(`SELECT count(*)::int AS n FROM events WHERE environment_id = $1 AND event = 'dsync.user.created'`, [fixture.environment.id]);
    const expectedIds = (await fixture.db.query(`SELECT id FROM events WHERE environment_id = $1 AND event = 'dsync.user.created'`, [fixture.environment.id])).map((r) => r.id);
    const drainStart = Date.now();
    while (expectedIds.some((id) => !received.has(id)) && Date.now() - drainStart < DRAIN_SECONDS * 1000) await new Promise((r) => setTimeout(r, 500));
    await new Promise((r) => setTimeout(r, 2000));
    const lost = expectedIds.filter((id) => !received.has(id)).length;
    const twice = [...received.values()].filter((t) => t.length > 1).length;
    latencies.sort((a, b) => a - b);
    console.log(`database: ${database.kind}`);
    console.log(`events created: ${expected} in ${createSeconds.toFixed(1)} s = ${(expected / createSeconds).toFixed(0)} events/s (SCIM user creations, ${IN_FLIGHT} in flight, one kill -9 and restart included)`);
    console.log(`delivery latency, SCIM response → receipt: p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms (${latencies.length} first deliveries measured)`);
    console.log(`delivered zero times: ${lost}; more than once: ${twice}; bad signatures: ${receiver.badSignatures()}; drained ${((Date.now() - drainStart) / 1000).toFixed(1)} s after the last creation`);
    result('webhooks', 'lost', lost, '<=', 0);
  } finally {
    await receiver?.close();
    await fixture.db.destroy();
    await server.stop();
    await database.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
