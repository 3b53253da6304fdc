import { startTestApp, type TestApp } from '../helpers/app';
import { buildMember, buildTeam, buildWorkspace, signedInClient } from '../helpers/factories';

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

const LIST = '{ viewer { workspace { complianceDocuments { id title fileName sizeBytes canDownload downloadUrl } } } }';

describe('compliance documents', () => {
  it('are listed to every member, downloadable by Admins only, streamed as PDF with a file name', async () => {
    const team = await buildTeam(app.db, app.url);
    const admin = (await team.as.ADMIN.data(LIST)).viewer.workspace.complianceDocuments;
    expect(admin.map((d: { id: string }) => d.id)).toEqual(['security-overview', 'data-processing-addendum']);
    expect(admin.every((d: { canDownload: boolean }) => d.canDownload)).toBe(true);
    for (const role of ['DEVELOPER', 'SUPPORT'] as const) {
      const docs = (await team.as[role].data(LIST)).viewer.workspace.complianceDocuments;
      expect(docs.map((d: { canDownload: boolean }) => d.canDownload)).toEqual([false, false]);
    }
    expect(admin[0].downloadUrl).toBe(`/compliance/documents/security-overview?workspace=${team.workspace.id}`);
    const download = (cookie?: string, id = 'security-overview') => fetch(`${app.url}/compliance/documents/${id}?workspace=${team.workspace.id}`, { headers: cookie ? { cookie } : {} });
    const ok = await download(team.as.ADMIN.cookie);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/pdf');
    expect(ok.headers.get('content-disposition')).toBe('attachment; filename=portico-security-overview.pdf');
    const bytes = Buffer.from(await ok.arrayBuffer());
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
    expect(bytes.length).toBe(admin[0].sizeBytes);
    for (const role of ['DEVELOPER', 'SUPPORT'] as const) {
      const refused = await download(team.as[role].cookie);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ code: 'FORBIDDEN', reason: 'role_required' });
    }
    expect((await download()).status).toBe(401);
    expect((await download(team.as.ADMIN.cookie, '..%2F..%2Fpackage.json')).status).toBe(404);
  });

  it('checks the role in the workspace that lists the document, not the one the session is looking at', async () => {
    // Admin of `own`, Developer of `guest`; the session looks at `guest`, where compliance downloads are refused.
    const own = await buildWorkspace(app.db);
    const guest = await buildWorkspace(app.db);
    await buildMember(app.db, guest.workspace.id, 'DEVELOPER', own.admin);
    const client = await signedInClient(app.db, app.url, own.admin, guest.workspace.id);
    const { viewer } = await client.data('{ viewer { workspaces { workspace { id complianceDocuments { canDownload downloadUrl } } } } }');
    const listed = Object.fromEntries(viewer.workspaces.map((w: { workspace: { id: string; complianceDocuments: unknown[] } }) => [w.workspace.id, w.workspace.complianceDocuments[0]]));
    const status = async (url: string) => (await fetch(`${app.url}${url}`, { headers: { cookie: client.cookie! } })).status;

    expect(listed[own.workspace.id]).toMatchObject({ canDownload: true });
    expect(await status(listed[own.workspace.id].downloadUrl)).toBe(200);
    expect(listed[guest.workspace.id]).toMatchObject({ canDownload: false });
    expect(await status(listed[guest.workspace.id].downloadUrl)).toBe(403);
    // Without a workspace named, the session's current one decides (Developer there).
    expect(await status('/compliance/documents/security-overview')).toBe(403);

    // And the other way round: looking at `own` (Admin), a link listed in `guest` is still refused.
    const atOwn = await signedInClient(app.db, app.url, own.admin, own.workspace.id);
    expect((await fetch(`${app.url}${listed[guest.workspace.id].downloadUrl}`, { headers: { cookie: atOwn.cookie! } })).status).toBe(403);
    expect((await fetch(`${app.url}/compliance/documents/security-overview`, { headers: { cookie: atOwn.cookie! } })).status).toBe(200);
  });

  it('answers 404 for a workspace the user has no seat in, so its ID reveals nothing', async () => {
    const { admin, workspace } = await buildWorkspace(app.db);
    const stranger = await buildWorkspace(app.db);
    const client = await signedInClient(app.db, app.url, admin, workspace.id);
    for (const query of [`workspace=${stranger.workspace.id}`, 'workspace=workspace_nope', `workspace=${workspace.id}&workspace=${workspace.id}`]) {
      const res = await fetch(`${app.url}/compliance/documents/security-overview?${query}`, { headers: { cookie: client.cookie! } });
      expect([query, res.status, await res.json()]).toEqual([query, 404, { code: 'NOT_FOUND', message: 'Workspace not found' }]);
    }
  });
});
