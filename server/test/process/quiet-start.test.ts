import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GqlClient } from '../helpers/client';
import { startPorticoProcess } from '../helpers/process';

const WRAPPER = path.resolve(__dirname, '../../../scripts/portico.js');

// Each start creates an embedded database in a fresh folder: over a minute on a busy machine.
jest.setTimeout(240_000);

describe('npm start output', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-quiet-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const start = (extra: Record<string, string>, args: string[] = []) =>
    startPorticoProcess({ PORTICO_DATA_DIR: dataDir, PORTICO_SKIP_BUILD: '1', PORTICO_START_LOG: path.join(dataDir, 'start.log'), ...extra }, 180_000, [process.execPath, WRAPPER, 'start', ...args]);

  it('is one line per step, then the banner; warnings read as sentences; printed sign-up links still show; no JSON', async () => {
    const portico = await start({});
    try {
      await new GqlClient(portico.url).data(`mutation { signUp(input: { name: "Quiet", email: "quiet@example.com", password: "a long enough password", workspaceName: "Quiet Co" }) { email } }`);
      await new Promise((r) => setTimeout(r, 300));
      const lines = portico.output().split('\n').filter((l) => l.trim());
      expect(lines.filter((l) => l.trimStart().startsWith('{'))).toEqual([]);
      const steps = lines.filter((l) => l.startsWith('  ✓ ')).map((l) => l.replace(/\s+\d+\.\d s$/, '').trim());
      expect(steps).toEqual([`✓ Database opened (embedded, ${dataDir})`, expect.stringMatching(/^✓ Migrations applied \(\d+\)$/), '✓ Demo workspace created']);
      expect(lines).toContain(`  ! PORTICO_SECRET_KEY is not set: created ${dataDir}/secret.key. Set PORTICO_SECRET_KEY in production and keep it safe.`);
      const banner = lines.findIndex((l) => l.includes('Portico is running at'));
      expect(banner).toBeGreaterThan(lines.findIndex((l) => l.includes('Demo workspace created')));
      expect(lines[banner + 3]).toMatch(/^ {2}Demo sign-in: demo@portico\.localhost \/ \S+$/);
      expect(lines.some((l) => l.startsWith('  [no SMTP_URL] Sign-up confirmation link for quiet@example.com'))).toBe(true);
      // The full log keeps what the console left out.
      // (Its own log file: other test files start Portico through the wrapper at the same time.)
      expect(fs.readFileSync(path.join(dataDir, 'start.log'), 'utf8')).toContain('"message":"listening"');
    } finally {
      expect(await portico.stop()).toBe(0);
    }
  });

  it.each([[{}, ['--verbose']], [{ PORTICO_VERBOSE: '1' }, []]] as const)('shows every log line with %j %j, as the server writes it', async (env, args) => {
    const portico = await start(env, [...args]);
    try {
      expect(portico.output()).toContain('"message":"listening"');
      expect(portico.output()).toMatch(/"message":"migrations applied","applied":0/);
      expect(portico.output()).not.toContain('  ✓ ');
    } finally {
      expect(await portico.stop()).toBe(0);
    }
  });
});
