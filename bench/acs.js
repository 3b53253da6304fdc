'use strict';
// npm run bench:acs — sign-ins per second end to end (HTTP POST to ACS → validation in the worker pool →
// database writes → 302 with a code) against bare single-threaded node-saml validation of the same responses,
// in the same run; and the p99 latency of a small GraphQL query during the storm. `--replicas 2` runs two Portico
// processes behind haproxy on the same database; every run checks its counts against the servers' /metrics.
const os = require('node:os');
const autocannon = require('autocannon');
const { SAML } = require('@node-saml/node-saml');
const { cpuSecondsByProcess, cpuSplit, createFixture, dist, openDatabase, percentile, result } = require('./lib/harness');
const { startCluster, scrapeTotal } = require('./lib/cluster');
const idp = require('./lib/idp');

const STORM_SECONDS = Number(process.env.BENCH_SECONDS || 10);
const BASELINE_SECONDS = 4;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 16);
const replicasArg = process.argv.indexOf('--replicas');
const REPLICAS = replicasArg === -1 ? 1 : Number(process.argv[replicasArg + 1]);
if (!Number.isInteger(REPLICAS) || REPLICAS < 1) throw new Error('--replicas must be a whole number of at least 1');

async function baseline(responses, { acsUrl, spEntityId }) {
  const saml = new SAML({
    callbackUrl: acsUrl, issuer: spEntityId, audience: spEntityId, idpCert: idp.cert, idpIssuer: idp.ENTITY_ID,
    wantAuthnResponseSigned: false, wantAssertionsSigned: true, acceptedClockSkewMs: 60_000, validateInResponseTo: 'never',
  });
  for (let i = 0; i < 20; i += 1) await saml.validatePostResponseAsync({ SAMLResponse: responses[i] }); // warm up
  let done = 0;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + BASELINE_SECONDS * 1000;
  while (Date.now() < deadline) {
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: responses[done % responses.length] });
    if (!profile?.nameID) throw new Error('bare node-saml refused a response');
    done += 1;
  }
  return done / (Number(process.hrtime.bigint() - started) / 1e9);
}

/** A small GraphQL query every 25 ms while the storm runs; each latency in ms. */
function probeGraphql(url, apiKey, stop) {
  const latencies = [];
  let failures = 0;
  const run = async () => {
    while (!stop.done) {
      const t = process.hrtime.bigint();
      const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }, body: JSON.stringify({ query: '{ environment { id name kind clientId } }' }) });
      const body = await res.json();
      if (!body.data?.environment) failures += 1;
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return run().then(() => ({ latencies, failures }));
}

async function main() {
  const database = await openDatabase();
  const fixture = await createFixture(database.url);
  if (REPLICAS > 1 && database.kind === 'embedded') throw new Error('--replicas needs DATABASE_URL: the embedded engine serves one process');
  const server = await startCluster(database.url, REPLICAS);
  try {
    const config = { publicUrl: server.url, allowPrivateUrls: false };
    const { createOrganization } = dist('modules/organizations/organizations.service');
    const { createSamlConnection, spEndpoints } = dist('modules/connections/connections.service');
    const { addRedirectUri } = dist('modules/redirect-uris/redirect-uris.service');
    const org = await createOrganization(fixture.db, fixture.scope, fixture.environment.id, { name: 'Acme', domains: [{ domain: 'acme.com', state: 'verified' }] });
    const connection = await createSamlConnection({ db: fixture.db, config, secrets: null }, fixture.scope, org.id, { connectionType: 'OktaSAML', metadataXml: idp.metadataXml() });
    await addRedirectUri(fixture.db, fixture.scope, fixture.environment.id, 'http://localhost:4100/callback', true);
    const endpoints = spEndpoints(server.url, connection.id);

    const workers = Number(process.env.SAML_WORKERS || os.availableParallelism());
    const count = Number(process.env.BENCH_RESPONSES || 6000);
    process.stdout.write(`Signing ${count} responses (independent signer)… `);
    const responses = Array.from({ length: count }, (_, i) => idp.signedResponse(endpoints, i));
    console.log(`done; each is ${(Buffer.from(responses[0], 'base64').length / 1024).toFixed(1)} KB of XML`);

    const bare = await baseline(responses, endpoints);
    console.log(`bare node-saml 5.1.0, one thread: ${bare.toFixed(1)} validations/s (${(1000 / bare).toFixed(2)} ms each)`);

    // warm the server (JIT, worker threads, pool) on responses the storm won't reuse
    const warm = responses.splice(0, 100);
    for (const r of warm) {
      const res = await fetch(endpoints.acsUrl, { method: 'POST', body: new URLSearchParams({ SAMLResponse: r }), redirect: 'manual' });
      if (res.status !== 302 || !res.headers.get('location')?.includes('code=')) throw new Error(`warm-up sign-in refused: HTTP ${res.status} ${res.headers.get('location') ?? await res.text()}`);
    }

    const counted = () => scrapeTotal(server.servers, 'portico_sign_in_attempts_total', { outcome: 'authorized' });
    const countedRequests = () => scrapeTotal(server.servers, 'portico_http_requests_total', { family: 'sso', method: 'POST' });
    const [countedBefore, requestsBefore] = [await counted(), await countedRequests()];
    let next = 0;
    const stop = { done: false };
    const midStorm = new Promise((resolve) => setTimeout(() => counted().then(resolve, () => resolve(NaN)), (STORM_SECONDS * 1000) / 2));
    const cpuBefore = cpuSecondsByProcess();
    const probe = probeGraphql(server.url, fixture.apiKey, stop);
    const storm = await autocannon({
      url: endpoints.acsUrl, method: 'POST', connections: CONNECTIONS, duration: STORM_SECONDS, headers: { 'content-type': 'application/x-www-form-urlencoded' },
      requests: [{ setupRequest: (req) => ({ ...req, body: new URLSearchParams({ SAMLResponse: responses[next++ % responses.length] }).toString() }) }],
    });
    stop.done = true;
    const serverPids = new Set(server.servers.map((s) => s.pid));
    const cpu = cpuSplit(cpuBefore, cpuSecondsByProcess(), (cmd, pid) =>
      serverPids.has(pid) ? `Portico server${REPLICAS > 1 ? 's' : ''} (main + workers)` : pid === server.proxy?.pid ? 'haproxy' : pid === process.pid ? 'load generator + GraphQL probe' : cmd.startsWith('postgres') ? 'PostgreSQL' : /embedded-db/.test(cmd) ? 'embedded database' : 'other');
    const { latencies, failures } = await probe;
    if (next > responses.length) console.log(`note: ${next - responses.length} requests reused a response and were refused as replays (raise BENCH_RESPONSES)`);
    const [{ authorized }] = await fixture.db.query(`SELECT count(*)::int AS authorized FROM sso_sessions WHERE connection_id = $1 AND state = 'AUTHORIZED'`, [connection.id]);
    const signIns = authorized - warm.length;
    const perSecond = signIns / STORM_SECONDS;
    const sorted = latencies.sort((a, b) => a - b);
    const p99 = percentile(sorted, 99);

    console.log(`Portico ACS end to end, ${REPLICAS} replica${REPLICAS > 1 ? 's behind haproxy' : ''}, ${workers} validation workers each, ${CONNECTIONS} connections, ${STORM_SECONDS} s on ${database.kind}: ${perSecond.toFixed(1)} sign-ins/s (${(perSecond / REPLICAS).toFixed(1)} per replica)`);
    const metricSignIns = (await counted()) - countedBefore;
    const metricRequests = (await countedRequests()) - requestsBefore;
    console.log(`/metrics (summed over ${REPLICAS} replica${REPLICAS > 1 ? 's' : ''}): mid-storm ${(await midStorm) - countedBefore} sign-ins so far; after: ${metricSignIns} authorized sign-ins (database: ${signIns}) ${metricSignIns === signIns ? 'equal' : 'DIFFERENT'}, ${metricRequests} ACS responses (autocannon: ${storm.requests.total} answered before it stopped, and up to ${CONNECTIONS} in flight it dropped) ${metricRequests - storm.requests.total >= 0 && metricRequests - storm.requests.total <= CONNECTIONS ? 'consistent' : 'DIFFERENT'}`);
    console.log(`  requests ${storm.requests.total}, 3xx ${storm['3xx'] ?? 'n/a'}, errors ${storm.errors}, timeouts ${storm.timeouts}, latency p50 ${storm.latency.p50} ms, p99 ${storm.latency.p99} ms`);
    console.log(`CPU during the storm (${os.availableParallelism()} cores × ${STORM_SECONDS} s = ${os.availableParallelism() * STORM_SECONDS} core-seconds): ${Object.entries(cpu).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')}`);
    console.log(`GraphQL during the storm: ${sorted.length} queries, ${failures} failed, p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (target < 100 ms: ${p99 < 100 ? 'pass' : 'fail'})`);
    const ratio = Math.round((perSecond / bare) * 100) / 100;
    console.log(`ratio Portico / bare node-saml: ${ratio}`);
    result('acs', 'ratio', ratio, '>=', 1.2);
  } finally {
    await server.stop();
    await fixture.db.destroy();
    await database.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
