import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from '../helpers/app';
import { buildSsoSetup, CALLBACK, postToAcs, startSignIn } from '../helpers/sso';
import { SsoSessionEntity } from '../../src/modules/sso-sessions/sso-session.entity';
import { authorizeWithEvents } from '../../src/modules/sso-sessions/sso-events';

/**
 * A sign-in's events are written with the sign-in (issue 12): the ACS statement that saves the session also
 * inserts its event, so neither exists without the other, and only the statement that activates a connection
 * writes `connection.activated`. What that costs a successful sign-in: nothing beyond the one statement.
 */

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

type Setup = Awaited<ReturnType<typeof buildSsoSetup>>;

async function started(setup: Setup) {
  const s = await startSignIn(setup.workos.sso.getAuthorizationUrl({ connection: setup.connection.id, redirectUri: CALLBACK, state: 's', clientId: setup.environment.clientId }));
  return { relayState: s.relayState!, response: await setup.idp.response(setup.connection, { inResponseTo: s.requestId }) };
}

async function signIn(setup: Setup) {
  const s = await started(setup);
  return { ...(await postToAcs(app, setup.connection.id, s.response, s.relayState)), sessionId: s.relayState };
}

const eventsOf = async (setup: Setup, sessionId?: string) =>
  ((await app.db.query(
    `SELECT event FROM events WHERE organization_id = $1 AND ($2::text IS NULL OR data->'sso'->>'session_id' = $2) ORDER BY id`,
    [setup.org.id, sessionId ?? null],
  )) as { event: string }[]).map((e) => e.event).filter((e) => e !== 'connection.created');

const connectionState = async (setup: Setup) => (await app.db.query('SELECT state FROM connections WHERE id = $1', [setup.connection.id]))[0].state as string;

/** A trigger that refuses this organization's `event` rows (by default authentication.sso_succeeded): the event's insert fails. */
async function refuseSucceededEvents(setup: Setup, event = 'authentication.sso_succeeded'): Promise<() => Promise<void>> {
  const name = `refuse_${randomBytes(4).toString('hex')}`;
  await app.db.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.organization_id = '${setup.org.id}' AND NEW.event = '${event}' THEN RAISE EXCEPTION 'event refused by the test'; END IF;
      RETURN NEW;
    END $$`);
  await app.db.query(`CREATE TRIGGER ${name} BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION ${name}()`);
  return async () => {
    await app.db.query(`DROP TRIGGER ${name} ON events`);
    await app.db.query(`DROP FUNCTION ${name}()`);
  };
}

describe('ACS events, atomic with the sign-in', () => {
  it('writes no authorized session, code, replay-cache entry nor activation when its event cannot be written', async () => {
    const setup = await buildSsoSetup(app);
    expect(await connectionState(setup)).toBe('validating');
    const allow = await refuseSucceededEvents(setup);
    let first: Awaited<ReturnType<typeof signIn>>;
    let later: Awaited<ReturnType<typeof signIn>>;
    try {
      // A first sign-in (it would activate the connection: the transaction path).
      first = await signIn(setup);
    } finally {
      await allow();
    }
    const check = async (sessionId: string) => {
      const [session] = await app.db.query('SELECT state, error_message FROM sso_sessions WHERE id = $1', [sessionId]);
      // The failure is recorded (with its own event); the success never happened.
      expect(session).toMatchObject({ state: 'FAILED', error_message: expect.stringContaining('internal error') });
      expect(await app.db.query('SELECT count(*)::int AS n FROM authorization_codes WHERE session_id = $1', [sessionId])).toEqual([{ n: 0 }]);
      expect(await eventsOf(setup, sessionId)).toEqual(expect.arrayContaining(['authentication.sso_started', 'authentication.sso_failed']));
      expect(await eventsOf(setup, sessionId)).not.toContain('authentication.sso_succeeded');
    };
    expect(first.location?.searchParams.get('error')).toBe('server_error');
    await check(first.sessionId);
    expect(await connectionState(setup)).toBe('validating');
    expect(await eventsOf(setup)).not.toContain('connection.activated');
    expect(await app.db.query('SELECT count(*)::int AS n FROM saml_assertion_ids WHERE connection_id = $1', [setup.connection.id])).toEqual([{ n: 0 }]);

    // Without the trigger the next sign-in activates it; with the trigger again, a sign-in on the active connection
    // (the lone-statement path) writes nothing either.
    const ok = await signIn(setup);
    expect(ok.location?.searchParams.get('code')).toBeTruthy();
    expect(await connectionState(setup)).toBe('active');
    const allowAgain = await refuseSucceededEvents(setup);
    try {
      later = await signIn(setup);
    } finally {
      await allowAgain();
    }
    expect(later.location?.searchParams.get('error')).toBe('server_error');
    await check(later.sessionId);
    expect(await app.db.query('SELECT count(*)::int AS n FROM saml_assertion_ids WHERE connection_id = $1', [setup.connection.id])).toEqual([{ n: 1 }]);
    // Every authorized session has its event, and every sso_succeeded its authorized session.
    const [pairs] = await app.db.query(
      `SELECT (SELECT count(*) FROM sso_sessions WHERE connection_id = $1 AND state = 'AUTHORIZED')::int AS sessions,
              (SELECT count(*) FROM events WHERE organization_id = $2 AND event = 'authentication.sso_succeeded')::int AS events`,
      [setup.connection.id, setup.org.id],
    );
    expect(pairs).toEqual({ sessions: 1, events: 1 });
  });

  it('writes connection.activated once when first sign-ins race, from the statement that activated it', async () => {
    const setup = await buildSsoSetup(app);
    const pending = [];
    for (let i = 0; i < 4; i += 1) pending.push(await started(setup));
    const answers = await Promise.all(pending.map((s) => postToAcs(app, setup.connection.id, s.response, s.relayState)));
    expect(answers.map((a) => Boolean(a.location?.searchParams.get('code')))).toEqual([true, true, true, true]);
    expect(await connectionState(setup)).toBe('active');
    const events = await eventsOf(setup);
    expect(events.filter((e) => e === 'connection.activated')).toHaveLength(1);
    expect(events.filter((e) => e === 'authentication.sso_succeeded')).toHaveLength(4);
    // Its notification job went with it, once.
    const [jobs] = await app.db.query(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'notification' AND data->>'eventId' IN (SELECT id FROM events WHERE organization_id = $1 AND event = 'connection.activated')`,
      [setup.org.id],
    );
    expect(jobs).toEqual({ n: 1 });
  });

  it('costs a successful sign-in on an active connection no statement beyond the one that writes it, event included', async () => {
    const setup = await buildSsoSetup(app);
    await signIn(setup); // activates the connection (its own transaction, once)
    await signIn(setup); // reads the active connection's context again: the cached one was the validating connection
    const s = await started(setup);
    const before = app.queries.count;
    const answer = await postToAcs(app, setup.connection.id, s.response, s.relayState);
    // the started session, the one statement (replay cache, session, code, activation, event, and the cached context's
    // version checked); the context itself came from the cache
    expect(app.queries.count - before).toBe(2);
    expect(answer.location?.searchParams.get('code')).toBeTruthy();
    expect(await eventsOf(setup, s.relayState)).toEqual(['authentication.sso_started', 'authentication.sso_succeeded']);
    const [event] = await app.db.query(`SELECT data FROM events WHERE data->'sso'->>'session_id' = $1 AND event = 'authentication.sso_succeeded'`, [s.relayState]);
    expect(event.data).toMatchObject({ type: 'sso', status: 'succeeded', email: 'ada@acme.com', sso: { connection_id: setup.connection.id, organization_id: setup.org.id, session_id: s.relayState } });
  });

  it('runs the sign-in in a transaction with its deliveries when an endpoint appeared after the context was read', async () => {
    const setup = await buildSsoSetup(app, { scope: 'FULL_ENVIRONMENT' });
    await signIn(setup); // active: the context of the next sign-in says nothing follows its event
    const s = await started(setup);
    const endpoint = await setup.workos.webhooks.createWebhookEndpoint({ endpointUrl: 'https://example.com/hooks', events: ['authentication.sso_succeeded'] });
    const session = await app.db.getRepository(SsoSessionEntity).findOneByOrFail({ id: s.relayState });
    Object.assign(session, { state: 'AUTHORIZED', authorizedAt: new Date(), email: 'ada@acme.com' });
    const now = Date.now();
    // Told it may run alone (the stale prediction): the statement sees the endpoint, writes nothing and is run again
    // in a transaction that queues the delivery.
    const result = await authorizeWithEvents(app.db, session, {
      assertionId: `_${randomBytes(8).toString('hex')}`, assertionExpiresAt: new Date(now + 60_000), codeHash: randomBytes(16).toString('hex'), codeExpiresAt: new Date(now + 60_000), clientId: setup.environment.clientId,
    }, true);
    expect(result).toMatchObject({ outcome: 'authorized', subscribed: true, activated: false });
    const [event] = await app.db.query(`SELECT id FROM events WHERE data->'sso'->>'session_id' = $1 AND event = 'authentication.sso_succeeded'`, [s.relayState]);
    expect(await app.db.query('SELECT event_id FROM webhook_deliveries WHERE endpoint_id = $1', [endpoint.id])).toEqual([{ event_id: event.id }]);
    expect(await app.db.query('SELECT state FROM sso_sessions WHERE id = $1', [s.relayState])).toEqual([{ state: 'AUTHORIZED' }]);
  });

  it('saves no failed attempt whose authentication.sso_failed cannot be written', async () => {
    const setup = await buildSsoSetup(app);
    const s = await startSignIn(setup.workos.sso.getAuthorizationUrl({ connection: setup.connection.id, redirectUri: CALLBACK, state: 's', clientId: setup.environment.clientId }));
    const refused = await setup.idp.response(setup.connection, { inResponseTo: s.requestId, audience: 'https://someone-else.example.com' });
    const allow = await refuseSucceededEvents(setup, 'authentication.sso_failed');
    let answer: Awaited<ReturnType<typeof postToAcs>>;
    try {
      answer = await postToAcs(app, setup.connection.id, refused, s.relayState);
    } finally {
      await allow();
    }
    expect(answer.status).toBe(500);
    expect(await app.db.query('SELECT state FROM sso_sessions WHERE id = $1', [s.relayState])).toEqual([{ state: 'STARTED' }]);
    expect(await eventsOf(setup, s.relayState!)).toEqual(['authentication.sso_started']);
    // The same response once the event can be written: the attempt and its event, together.
    await postToAcs(app, setup.connection.id, refused, s.relayState);
    expect(await app.db.query('SELECT state, error_reason FROM sso_sessions WHERE id = $1', [s.relayState])).toEqual([{ state: 'FAILED', error_reason: 'invalid_audience' }]);
    expect(await eventsOf(setup, s.relayState!)).toEqual(['authentication.sso_started', 'authentication.sso_failed']);
  });

  it('starts a sign-in with its sso_started in one statement, or in a transaction with the delivery when an endpoint wants it', async () => {
    const setup = await buildSsoSetup(app, { scope: 'FULL_ENVIRONMENT' });
    const url = setup.workos.sso.getAuthorizationUrl({ connection: setup.connection.id, redirectUri: CALLBACK, state: 's', clientId: setup.environment.clientId });
    const sessions = async () => (await app.db.query('SELECT count(*)::int AS n FROM sso_sessions WHERE connection_id = $1', [setup.connection.id]))[0].n as number;
    await startSignIn(url); // warms what is read once
    const before = app.queries.count;
    const first = await startSignIn(url);
    // the environment, the redirect URI, the connection, then one statement: the session and its event
    expect(app.queries.count - before).toBe(4);
    expect(await eventsOf(setup, first.relayState!)).toEqual(['authentication.sso_started']);

    // An event that cannot be written: no session either.
    const allow = await refuseSucceededEvents(setup, 'authentication.sso_started');
    try {
      expect((await startSignIn(url)).status).toBe(500);
    } finally {
      await allow();
    }
    expect(await sessions()).toBe(2);

    const endpoint = await setup.workos.webhooks.createWebhookEndpoint({ endpointUrl: 'https://example.com/hooks', events: ['authentication.sso_started'] });
    const hooked = await startSignIn(url);
    const [event] = await app.db.query(`SELECT id FROM events WHERE data->'sso'->>'session_id' = $1 AND event = 'authentication.sso_started'`, [hooked.relayState]);
    expect(await app.db.query('SELECT event_id FROM webhook_deliveries WHERE endpoint_id = $1', [endpoint.id])).toEqual([{ event_id: event.id }]);
    expect(await sessions()).toBe(3);
  });
});
