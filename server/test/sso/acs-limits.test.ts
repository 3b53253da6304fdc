import { startTestApp, type TestApp } from '../helpers/app';
import { buildSsoSetup, postToAcs, randomIp } from '../helpers/sso';
import { b64, responseXml } from '../saml/forge';
import { FAILED_ACS_LIMITS, MAX_STORED_DETAIL_CHARS, MAX_STORED_FAILED_RESPONSE_CHARS } from '../../src/modules/sso-sessions/acs-limits';

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

const SESSION = `query($id: ID!) { session(id: $id) { samlResponse samlResponseBytes samlResponseTruncated errorReason } }`;
const UNRECORDED = `query($id: ID!) { connection(id: $id) { unrecordedFailedAttempts } }`;
/** Not base64: refused at once, so a flood costs the test little. */
const JUNK = '%%%not-a-saml-response%%%';

async function sessionsOf(connectionId: string): Promise<{ id: string; state: string }[]> {
  return app.db.query('SELECT id, state FROM sso_sessions WHERE connection_id = $1 ORDER BY id', [connectionId]);
}

describe('what a failed ACS post may store', () => {
  it('keeps a large failed response truncated, with its original size and a marker Session Details reads', async () => {
    const setup = await buildSsoSetup(app);
    const xml = responseXml({ assertionXml: `<saml:Advice>${'A'.repeat(700_000)}</saml:Advice>` });
    const res = await postToAcs(app, setup.connection.id, b64(xml));
    expect(res.location!.searchParams.get('error')).toBe('access_denied');
    const [row] = await sessionsOf(setup.connection.id);
    const { session } = await setup.admin.data(SESSION, { id: row!.id });
    expect(session).toMatchObject({ samlResponseBytes: Buffer.byteLength(xml), samlResponseTruncated: true, errorReason: expect.any(String) });
    expect(session.samlResponse).toHaveLength(MAX_STORED_FAILED_RESPONSE_CHARS);
    expect(xml.startsWith(session.samlResponse)).toBe(true);
  });

  it('cuts long values quoted from an unsigned response in the error details, so they can’t stand in for the raw response', async () => {
    const setup = await buildSsoSetup(app);
    const issuer = `https://evil.example/${'i'.repeat(300_000)}`;
    await postToAcs(app, setup.connection.id, b64(responseXml({ issuer, status: `urn:${'s'.repeat(300_000)}` })));
    const [row] = await app.db.query('SELECT error_reason, error_details, length(error_details::text) AS size FROM sso_sessions WHERE connection_id = $1', [setup.connection.id]);
    expect(row.error_reason).toBe('invalid_issuer');
    expect(row.error_details.received).toBe(`${issuer.slice(0, MAX_STORED_DETAIL_CHARS)}…`);
    expect(row.size).toBeLessThan(4 * MAX_STORED_DETAIL_CHARS);
  });

  it('keeps a successful sign-in’s response whole, with its size, even past the bound on failed ones', async () => {
    const setup = await buildSsoSetup(app);
    const groups = Array.from({ length: 2500 }, (_, i) => `engineering-group-${i}`);
    const attributes = { id: 'u1', email: 'ada@acme.com', firstName: 'Ada', lastName: 'Lovelace', groups };
    const res = await postToAcs(app, setup.connection.id, await setup.idp.response(setup.connection, { attributes }));
    expect(res.location!.searchParams.get('code')).toBeTruthy();
    const [row] = await sessionsOf(setup.connection.id);
    const { session } = await setup.admin.data(SESSION, { id: row!.id });
    expect(session.samlResponseTruncated).toBe(false);
    expect(session.samlResponse.length).toBeGreaterThan(MAX_STORED_FAILED_RESPONSE_CHARS);
    expect(session.samlResponseBytes).toBe(Buffer.byteLength(session.samlResponse));
  });
});

describe('failed ACS posts are rate-limited per IP and per connection, then only counted', () => {
  it('records a flood from one IP up to its limit, refuses every post, counts the rest, and still signs users in', async () => {
    const setup = await buildSsoSetup(app);
    const ip = randomIp();
    const extra = 7;
    const results = [];
    for (let i = 0; i < FAILED_ACS_LIMITS.perIp.limit + extra; i += 1) results.push(await postToAcs(app, setup.connection.id, JUNK, null, ip));
    expect(results.every((r) => r.location?.searchParams.get('error') === 'access_denied')).toBe(true);
    expect(results.at(-1)!.location!.searchParams.get('error_description')).toMatch(/not recorded/);
    expect(await sessionsOf(setup.connection.id)).toHaveLength(FAILED_ACS_LIMITS.perIp.limit);
    expect((await setup.admin.data(UNRECORDED, { id: setup.connection.id })).connection.unrecordedFailedAttempts).toBe(extra);

    // A successful sign-in from the same IP is never dropped, and another IP's failures are still recorded.
    expect((await postToAcs(app, setup.connection.id, await setup.idp.response(setup.connection), null, ip)).location!.searchParams.get('code')).toBeTruthy();
    const other = await postToAcs(app, setup.connection.id, JUNK, null, randomIp());
    expect(other.location!.searchParams.get('error_description')).toMatch(/Session sso_session_/);
    expect(await sessionsOf(setup.connection.id)).toHaveLength(FAILED_ACS_LIMITS.perIp.limit + 2);
  });

  it('records a flood spread over many IPs up to the connection’s limit, leaving other connections unaffected', async () => {
    const [flooded, other] = [await buildSsoSetup(app), await buildSsoSetup(app)];
    const extra = 5;
    for (let i = 0; i < FAILED_ACS_LIMITS.perConnection.limit + extra; i += 1) await postToAcs(app, flooded.connection.id, JUNK);
    expect(await sessionsOf(flooded.connection.id)).toHaveLength(FAILED_ACS_LIMITS.perConnection.limit);
    expect((await flooded.admin.data(UNRECORDED, { id: flooded.connection.id })).connection.unrecordedFailedAttempts).toBe(extra);

    await postToAcs(app, other.connection.id, JUNK);
    expect(await sessionsOf(other.connection.id)).toHaveLength(1);
    expect((await other.admin.data(UNRECORDED, { id: other.connection.id })).connection.unrecordedFailedAttempts).toBe(0);
  });
});
