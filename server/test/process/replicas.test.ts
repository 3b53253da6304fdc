import { inflateRawSync } from 'node:zlib';
import { DataSource } from 'typeorm';
import { WorkOS } from '@workos-inc/node';
import { TEST_SECRET_KEY, type TestApp } from '../helpers/app';
import { createDataSource, MIGRATIONS } from '../../src/db/data-source';
import { freshDatabase, onPostgres } from '../helpers/databases';
import { startHaproxy } from '../helpers/haproxy';
import { freePort, startPorticoProcess, type PorticoProcess } from '../helpers/process';
import { buildSsoSetup, CALLBACK } from '../helpers/sso';
import { uniqueEmail } from '../helpers/factories';

// Replicas need PostgreSQL: the embedded engine is one process by design (the data folder is locked).
(onPostgres ? describe : describe.skip)('two Portico replicas on one PostgreSQL behind haproxy (round-robin)', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let proxy: Awaited<ReturnType<typeof startHaproxy>>;
  let replicas: PorticoProcess[] = [];
  let db: DataSource;

  beforeAll(async () => {
    database = await freshDatabase('replicas');
    const ports = [await freePort(), await freePort()];
    proxy = await startHaproxy(ports.map((p) => `http://127.0.0.1:${p}`));
    // Both start together on the empty database: the migrations must run once, under the advisory lock.
    replicas = await Promise.all(ports.map((port, i) => startPorticoProcess({
      DATABASE_URL: database.url, PORT: String(port), PUBLIC_URL: proxy.url, PORTICO_INSTANCE_ID: `replica-${i + 1}`, TRUST_PROXY: 'loopback',
      PORTICO_SEED_DEMO: 'false', PORTICO_SECRET_KEY: TEST_SECRET_KEY, SAML_WORKERS: '1', PORTICO_ALLOW_PRIVATE_METADATA_URLS: 'true',
    }, 90_000)));
    db = await createDataSource({ url: database.url }, 2).initialize();
  }, 120_000);

  afterAll(async () => {
    await db?.destroy();
    await Promise.all(replicas.map((r) => r.stop()));
    await proxy?.stop();
    await database?.drop();
  });

  /** Sends throwaway requests until one is answered by `instance`: round-robin sends the next one to the other replica. */
  async function afterOneFrom(instance: string): Promise<void> {
    for (let i = 0; i < 4; i += 1) {
      if ((await fetch(`${proxy.url}/health`)).headers.get('x-portico-instance') === instance) return;
    }
    throw new Error('the proxy does not alternate between replicas');
  }

  it('ran the migrations once although both replicas started together on an empty database', async () => {
    const rows: { name: string }[] = await db.query('SELECT name FROM portico_migrations');
    expect(rows.map((r) => r.name).sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
    for (const replica of replicas) expect(replica.child.exitCode).toBeNull();
  });

  it('alternates requests between the replicas, each naming itself in X-Portico-Instance', async () => {
    const seen = [];
    for (let i = 0; i < 4; i += 1) seen.push((await fetch(`${proxy.url}/ready`)).headers.get('x-portico-instance'));
    expect(new Set(seen)).toEqual(new Set(['replica-1', 'replica-2']));
    expect(seen[0]).not.toBe(seen[1]);
  });

  it('completes SP-initiated sign-ins whose authorize and ACS land on different replicas, and refuses the replay on the other', async () => {
    const app = { url: proxy.url, db } as TestApp;
    const setup = await buildSsoSetup(app);
    const port = Number(new URL(proxy.url).port);
    const workos = new WorkOS(setup.apiKey, { apiHostname: '127.0.0.1', port, https: false, clientId: setup.environment.clientId, maxRetries: 0 });

    for (let round = 0; round < 2; round += 1) {
      const authorize = await fetch(workos.sso.getAuthorizationUrl({ connection: setup.connection.id, redirectUri: CALLBACK, state: `s${round}`, clientId: setup.environment.clientId }), { redirect: 'manual' });
      expect(authorize.status).toBe(302);
      const authorizedBy = authorize.headers.get('x-portico-instance')!;
      const idpUrl = new URL(authorize.headers.get('location')!);
      const relayState = idpUrl.searchParams.get('RelayState')!;
      const requestId = /ID="([^"]+)"/.exec(inflateRawSync(Buffer.from(idpUrl.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8'))![1]!;

      const form = new URLSearchParams({ SAMLResponse: await setup.idp.response(setup.connection, { inResponseTo: requestId }), RelayState: relayState });
      await afterOneFrom(authorizedBy);
      const acs = await fetch(`${proxy.url}/sso/saml/acs/${setup.connection.id}`, { method: 'POST', body: form, redirect: 'manual' });
      const acsBy = acs.headers.get('x-portico-instance')!;
      expect(acsBy).not.toBe(authorizedBy);
      expect(acs.status).toBe(302);
      const code = new URL(acs.headers.get('location')!).searchParams.get('code');
      expect(code).toBeTruthy();
      const { profile } = await workos.sso.getProfileAndToken({ code: code!, clientId: setup.environment.clientId });
      expect(profile.email).toBe('ada@acme.com');

      // The same response again, answered by the replica that did not consume it: refused, no code.
      await afterOneFrom(acsBy);
      const replay = await fetch(`${proxy.url}/sso/saml/acs/${setup.connection.id}`, { method: 'POST', body: form, redirect: 'manual' });
      expect(replay.headers.get('x-portico-instance')).not.toBe(acsBy);
      const replayLocation = replay.headers.get('location');
      expect(replayLocation ? new URL(replayLocation).searchParams.get('code') : null).toBeNull();
      expect([302, 403, 409]).toContain(replay.status);
    }
    const authorized: { n: number }[] = await db.query(`SELECT count(*)::int AS n FROM sso_sessions WHERE connection_id = $1 AND state IN ('AUTHORIZED', 'SUCCESSFUL')`, [setup.connection.id]);
    expect(authorized[0]!.n).toBe(2);
  });

  it('shares sign-in rate limits: the 11th wrong password for one email is refused whichever replica answers', async () => {
    const email = uniqueEmail('replicas');
    const outcomes: { instance: string | null; code: string | undefined }[] = [];
    for (let i = 0; i < 11; i += 1) {
      const res = await fetch(`${proxy.url}/graphql`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.9.${i}.1` },
        body: JSON.stringify({ query: 'mutation($input: SignInInput!) { signIn(input: $input) { user { id } } }', variables: { input: { email, password: 'not-the-password-at-all' } } }),
      });
      const body = await res.json();
      outcomes.push({ instance: res.headers.get('x-portico-instance'), code: body.errors?.[0]?.extensions?.code });
    }
    expect(new Set(outcomes.map((o) => o.instance))).toEqual(new Set(['replica-1', 'replica-2']));
    expect(outcomes.slice(0, 10).map((o) => o.code)).toEqual(Array(10).fill('UNAUTHENTICATED'));
    expect(outcomes[10]!.code).toBe('RATE_LIMITED');
  });
});
