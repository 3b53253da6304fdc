import { startTestApp, type TestApp } from '../helpers/app';
import { buildTeam } from '../helpers/factories';

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
    const download = (cookie?: string, id = 'security-overview') => fetch(`${app.url}/compliance/documents/${id}`, { headers: cookie ? { cookie } : {} });
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
});
