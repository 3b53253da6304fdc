import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { lockDataDir, LOCK_FILE } from '../../src/db/data-dir-lock';
import { MAIN, childrenOf, startPorticoProcess, type PorticoProcess } from '../helpers/process';

const WRAPPER = path.resolve(__dirname, '../../../scripts/portico.js');
const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;


function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer().once('error', () => resolve(false)).listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function exitWithin(portico: PorticoProcess, ms: number): Promise<{ code: number | null; signal: string | null }> {
  const { child } = portico;
  if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still running ${ms} ms after the signal:\n${portico.output()}`)), ms);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

/** The folder is free again: the lock file is gone and another process could take the OS lock now. */
function expectDataDirReleased(dataDir: string): void {
  expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
  lockDataDir(dataDir)();
}

// Each start here may create an embedded database in a fresh folder (PGlite initialisation, migrations, demo seed):
// seconds on a quiet machine, over a minute on a busy one.
jest.setTimeout(240_000);

describe('stopping Portico as a supervisor does', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-signals-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const env = { PORTICO_DATA_DIR: dataDir, PORTICO_SEED_DEMO: 'false' };
  const startWrapped = () => startPorticoProcess({ ...env, PORTICO_SKIP_BUILD: '1' }, 180_000, [process.execPath, WRAPPER, 'start']);

  it.each(SIGNALS)('npm start passes %s on to the server, which stops, frees its port and the data folder', async (signal) => {
    const wrapper = await startWrapped();
    const [server] = childrenOf(wrapper.child.pid!);
    expect(server).toBeDefined();
    wrapper.child.kill(signal);
    expect(await exitWithin(wrapper, 10_000)).toEqual({ code: 0, signal: null });
    expect(isAlive(server)).toBe(false);
    expect(await portIsFree(Number(new URL(wrapper.url).port))).toBe(true);
    expectDataDirReleased(dataDir);
  });

  it('npm start ends with 128 + the signal that killed the server', async () => {
    const wrapper = await startWrapped();
    process.kill(childrenOf(wrapper.child.pid!)[0], 'SIGKILL');
    expect(await exitWithin(wrapper, 10_000)).toEqual({ code: 128 + os.constants.signals.SIGKILL, signal: null });
  });

  it.each(SIGNALS)('the server itself stops cleanly on %s and releases the data folder', async (signal) => {
    const portico = await startPorticoProcess(env, 180_000);
    portico.child.kill(signal);
    expect(await exitWithin(portico, 10_000)).toEqual({ code: 0, signal: null });
    expect(portico.output()).toContain(`"signal":"${signal}"`);
    expectDataDirReleased(dataDir);
  });

  it('a stop signal during start-up lets the start finish, then stops cleanly and releases the data folder', async () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-signals-startup-'));
    const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', PORTICO_DATA_DIR: fresh, PORT: '0', HOST: '127.0.0.1' }, stdio: 'ignore' });
    try {
      // The lock is taken as the database opens, before PGlite starts and migrations run: mid-start.
      while (!fs.existsSync(path.join(fresh, LOCK_FILE))) await new Promise((r) => setTimeout(r, 10));
      child.kill('SIGTERM');
      const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expectDataDirReleased(fresh);
    } finally {
      child.kill('SIGKILL');
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });
});
