import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from '../helpers/app';
import { buildSsoSetup, CALLBACK, postToAcs } from '../helpers/sso';
import { authorizeQuietBatch, loadAcsContext, type QuietSignIn } from '../../src/modules/sso-sessions/acs-store';
import { SsoSessionEntity } from '../../src/modules/sso-sessions/sso-session.entity';
import { newId } from '../../src/lib/ids';

/**
 * With every write slot busy (one slot here), the sign-ins of a connection waiting for it are written by one
 * statement (authorizeQuietBatch): each must still get its own code for its own profile and its own event, and the
 * replay cache must hold inside a batch as it does between statements.
 */

let app: TestApp;
beforeAll(async () => { app = await startTestApp({ ACS_WRITE_SLOTS: '1', ACS_WRITE_BATCH: '32' }); });
afterAll(() => app.close());

type Setup = Awaited<ReturnType<typeof buildSsoSetup>>;
const UPDATE = `mutation($input: UpdateSsoConnectionInput!) { updateSsoConnection(input: $input) { id } }`;
const BATCH = 'WITH ORDINALITY';

const userResponse = (setup: Setup, email: string) =>
  setup.idp.response(setup.connection, { nameId: email, attributes: { id: `okta-${email}`, email, firstName: 'Batch', lastName: email } });

/** An active connection accepting IdP-initiated sign-ins, its context cached. */
async function warm(): Promise<Setup> {
  const setup = await buildSsoSetup(app);
  await setup.admin.data(UPDATE, { input: { id: setup.connection.id, idpInitiatedEnabled: true } });
  for (let i = 0; i < 2; i += 1) {
    const answer = await postToAcs(app, setup.connection.id, await userResponse(setup, `warm${i}@acme.com`));
    expect(answer.location?.searchParams.get('code')).toBeTruthy();
  }
  return setup;
}

/** Posts every response at once; answers each answer in order and the batch statements run meanwhile. */
async function burst(setup: Setup, responses: string[]) {
  app.queries.recorded = [];
  try {
    const answers = await Promise.all(responses.map((r) => postToAcs(app, setup.connection.id, r)));
    return { answers, batches: app.queries.recorded.filter((q) => q.query.includes(BATCH)).length };
  } finally {
    app.queries.recorded = null;
  }
}

describe('sign-ins waiting for a write slot are written together', () => {
  it('gives each sign-in of a batch its own code, for its own profile, and its own event', async () => {
    const setup = await warm();
    const users = Array.from({ length: 24 }, (_, i) => `user${i}@acme.com`);
    const { answers, batches } = await burst(setup, await Promise.all(users.map((email) => userResponse(setup, email))));
    expect(batches).toBeGreaterThan(0);
    for (const [i, answer] of answers.entries()) {
      const code = answer.location?.searchParams.get('code');
      expect(code).toBeTruthy();
      const { profile } = await setup.workos.sso.getProfileAndToken({ code: code!, clientId: setup.environment.clientId });
      expect(profile.email).toBe(users[i]);
    }
    const events = await app.db.query(`SELECT data->>'email' AS email FROM events WHERE environment_id = $1 AND event = 'authentication.sso_succeeded'`, [setup.environment.id]);
    expect(events.map((e: { email: string }) => e.email).filter((e: string) => users.includes(e)).sort()).toEqual([...users].sort());
  });

  it('signs in once per assertion when a burst repeats one or replays one used before', async () => {
    const setup = await warm();
    const used = await userResponse(setup, 'used@acme.com');
    expect((await postToAcs(app, setup.connection.id, used)).location?.searchParams.get('code')).toBeTruthy();
    const responses = await Promise.all(Array.from({ length: 16 }, (_, i) => userResponse(setup, `fresh${i}@acme.com`)));
    const { answers, batches } = await burst(setup, [...responses, responses[3]!, responses[3]!, used]);
    expect(batches).toBeGreaterThan(0);
    expect(answers.filter((a) => a.location?.searchParams.get('code'))).toHaveLength(16);
    const refused = await app.db.query(`SELECT error_reason FROM sso_sessions WHERE connection_id = $1 AND state = 'FAILED'`, [setup.connection.id]);
    expect(refused.map((r: { error_reason: string }) => r.error_reason)).toEqual(['replayed_assertion', 'replayed_assertion', 'replayed_assertion']);
  });
});

describe('authorizeQuietBatch', () => {
  function signIn(setup: Setup, clientId: string, sessionId = newId('ssoSession')): QuietSignIn {
    const email = `${randomBytes(4).toString('hex')}@acme.com`;
    const session = Object.assign(new SsoSessionEntity(), {
      id: sessionId, environmentId: setup.environment.id, organizationId: setup.org.id, connectionId: setup.connection.id, origin: 'IDP', state: 'AUTHORIZED',
      redirectUri: CALLBACK, email, idpId: email, profile: { email }, samlResponseTruncated: false, startedAt: new Date(), authorizedAt: new Date(),
    });
    const later = new Date(Date.now() + 300_000);
    return {
      session,
      authorization: { assertionId: `_${randomBytes(8).toString('hex')}`, assertionExpiresAt: later, codeHash: randomBytes(32).toString('hex'), codeExpiresAt: later, clientId },
      event: { id: newId('event'), data: { email } },
    };
  }
  const written = async (signIns: QuietSignIn[]) => (await app.db.query(`SELECT count(*)::int AS n FROM sso_sessions WHERE id = ANY($1)`, [signIns.map((s) => s.session.id)]))[0].n;

  it('writes nothing for any of them when the connection changed since its context was read (stale)', async () => {
    const setup = await warm();
    const context = (await loadAcsContext(app.db, setup.connection.id))!;
    const batch = [signIn(setup, context.clientId), signIn(setup, context.clientId)];
    expect((await authorizeQuietBatch(app.db, setup.connection.id, 'another version', batch)).map((r) => r.outcome)).toEqual(['stale', 'stale']);
    expect(await written(batch)).toBe(0);
  });

  it('writes nothing when the event is followed (a validating connection): each is then written in a transaction', async () => {
    const setup = await warm();
    await app.db.query(`UPDATE connections SET state = 'validating' WHERE id = $1`, [setup.connection.id]);
    const context = (await loadAcsContext(app.db, setup.connection.id))!;
    const batch = [signIn(setup, context.clientId), signIn(setup, context.clientId)];
    expect((await authorizeQuietBatch(app.db, setup.connection.id, context.version, batch)).map((r) => r.outcome)).toEqual(['followed', 'followed']);
    expect(await written(batch)).toBe(0);
  });

  it('answers each row on its own: authorized, replayed, or consumed (its session already answered)', async () => {
    const setup = await warm();
    const context = (await loadAcsContext(app.db, setup.connection.id))!;
    const first = [signIn(setup, context.clientId), signIn(setup, context.clientId)];
    expect((await authorizeQuietBatch(app.db, setup.connection.id, context.version, first)).map((r) => r.outcome)).toEqual(['authorized', 'authorized']);
    const replay = { ...signIn(setup, context.clientId), authorization: { ...first[0]!.authorization, codeHash: randomBytes(32).toString('hex') } };
    const answeredSession = signIn(setup, context.clientId, first[1]!.session.id);
    const fresh = signIn(setup, context.clientId);
    expect((await authorizeQuietBatch(app.db, setup.connection.id, context.version, [replay, answeredSession, fresh])).map((r) => r.outcome)).toEqual(['replayed', 'consumed', 'authorized']);
    const codes = await app.db.query(`SELECT session_id FROM authorization_codes WHERE session_id = ANY($1) ORDER BY session_id`, [[...first, fresh].map((s) => s.session.id)]);
    expect(codes.map((c: { session_id: string }) => c.session_id)).toEqual([...first, fresh].map((s) => s.session.id).sort());
  });

  it('refuses a batch that repeats a session (its row would be written twice)', async () => {
    const setup = await warm();
    const context = (await loadAcsContext(app.db, setup.connection.id))!;
    const one = signIn(setup, context.clientId);
    await expect(authorizeQuietBatch(app.db, setup.connection.id, context.version, [one, signIn(setup, context.clientId, one.session.id)])).rejects.toThrow('repeats a session');
  });

  it('refuses a batch that repeats an assertion ID (its rows could not be told apart)', async () => {
    const setup = await warm();
    const context = (await loadAcsContext(app.db, setup.connection.id))!;
    const one = signIn(setup, context.clientId);
    const twin = { ...signIn(setup, context.clientId), authorization: { ...one.authorization, codeHash: randomBytes(32).toString('hex') } };
    await expect(authorizeQuietBatch(app.db, setup.connection.id, context.version, [one, twin])).rejects.toThrow('repeats an assertion ID');
  });
});
