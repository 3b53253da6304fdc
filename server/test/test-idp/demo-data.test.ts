import { seedDemoData } from '../../src/demo-data';
import { startTestApp, type TestApp } from '../helpers/app';
import { buildWorkspace } from '../helpers/factories';

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

describe('the demo workspace', () => {
  it('has organizations with domains, a connection in each state, sessions in every state and each of the five errors, and a synced directory', async () => {
    const { workspace } = await buildWorkspace(app.db);
    const [staging] = await app.db.query(`SELECT * FROM environments WHERE workspace_id = $1 AND kind = 'STAGING'`, [workspace.id]);
    await seedDemoData(app.deps, { id: staging.id, workspaceId: workspace.id, kind: 'STAGING', name: 'Staging', clientId: staging.client_id, createdAt: staging.created_at });
    const connections = await app.db.query('SELECT c.state, o.name FROM connections c JOIN organizations o ON o.id = c.organization_id WHERE c.environment_id = $1 ORDER BY o.name', [staging.id]);
    expect(connections).toEqual([
      { name: 'Acme Corp', state: 'draft' }, { name: 'Globex', state: 'inactive' }, { name: 'Initech', state: 'validating' }, { name: 'Test Organization', state: 'active' },
    ]);
    expect((await app.db.query('SELECT count(*)::int AS n FROM organization_domains d JOIN organizations o ON o.id = d.organization_id WHERE o.environment_id = $1', [staging.id]))[0].n).toBe(5);
    const sessions = await app.db.query('SELECT state, origin, error, error_reason FROM sso_sessions WHERE environment_id = $1 ORDER BY started_at', [staging.id]);
    expect(new Set(sessions.map((s: { state: string }) => s.state))).toEqual(new Set(['SUCCESSFUL', 'AUTHORIZED', 'FAILED', 'STARTED']));
    expect(sessions.filter((s: { origin: string }) => s.origin === 'IDP')).toEqual([{ state: 'AUTHORIZED', origin: 'IDP', error: null, error_reason: null }]);
    expect(sessions.filter((s: { error: string | null }) => s.error).map((s: { error: string; error_reason: string }) => `${s.error}/${s.error_reason}`).sort()).toEqual([
      'DECRYPTION_FAILED/decryption_failed', 'INVALID_ATTRIBUTES/missing_attributes', 'INVALID_X509_CERTIFICATE/certificate_mismatch',
      'MALFORMED_SAML_RESPONSE/expired', 'MALFORMED_SAML_RESPONSE/not_xml', 'PROFILE_NOT_ALLOWED_OUTSIDE_ORGANIZATION/domain_not_allowed',
    ]);
    const users = await app.db.query(`SELECT u.email, u.custom_attributes FROM directory_users u JOIN directories d ON d.id = u.directory_id WHERE d.environment_id = $1 AND d.state = 'linked' ORDER BY u.email`, [staging.id]);
    expect(users).toHaveLength(4);
    expect(users[0]).toEqual({ email: 'ada@example.com', custom_attributes: { department: 'Engineering' } });
    expect((await app.db.query('SELECT count(*)::int AS n FROM directory_groups g JOIN directories d ON d.id = g.directory_id WHERE d.environment_id = $1', [staging.id]))[0].n).toBe(2);
  });
});
