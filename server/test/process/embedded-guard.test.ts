import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAIN, childrenOf, startPorticoProcess } from '../helpers/process';

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;
const canUnshare = isRoot && spawnSync('unshare', ['--pid', '--fork', 'true']).status === 0;
// Each Portico is PID 1 of its own PID namespace, as in a container. unshare blocks SIGTERM while it waits, so
// a stop goes to the Portico inside, as a container runtime sends it to PID 1; --kill-child covers a test crash.
const IN_OWN_PID_NAMESPACE = ['unshare', '--pid', '--fork', '--mount-proc', '--kill-child', process.execPath, MAIN];


/** TCP ports `pid` listens on, from /proc (Linux): its socket inodes matched against the LISTEN sockets. */
function listeningTcpPorts(pid: number): number[] {
  const inodes = new Set(fs.readdirSync(`/proc/${pid}/fd`).map((fd) => {
    try {
      return /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
    } catch {
      return undefined;
    }
  }).filter(Boolean));
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((table) => fs.readFileSync(table, 'utf8').trim().split('\n').slice(1))
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols[3] === '0A' && inodes.has(cols[9]))
    .map((cols) => parseInt(cols[1].split(':')[1], 16));
}

function runToExit(command: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(command[0], command.slice(1), { env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  // A second Portico that wrongly starts never exits by itself: stop it, and say so.
  const timer = setTimeout(() => {
    stderr += '(still running after 30 s: it started)';
    for (const pid of [...childrenOf(child.pid!), child.pid!]) process.kill(pid, 'SIGKILL');
  }, 30_000);
  return new Promise((resolve) => child.once('exit', (code) => {
    clearTimeout(timer);
    resolve({ code, stderr });
  }));
}

describe('the embedded database of a running Portico', () => {
  let dataDir: string;
  beforeEach(() => { dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-guard-')); });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('is reachable by no TCP port (only its HTTP port listens), and not by another local user', async () => {
    const portico = await startPorticoProcess({ PORTICO_DATA_DIR: dataDir });
    try {
      expect(listeningTcpPorts(portico.child.pid!)).toEqual([Number(new URL(portico.url).port)]);
      const socketDir = path.join(dataDir, 'socket');
      expect(fs.statSync(socketDir).mode & 0o777).toBe(0o700);
      if (isRoot) {
        const script = `require('net').connect(${JSON.stringify({ path: path.join(socketDir, '.s.PGSQL.5432') })}).on('connect', () => console.log('connected')).on('error', (e) => console.log(e.code)).on('close', () => process.exit(0))`;
        expect(spawnSync(process.execPath, ['-e', script], { uid: NOBODY, gid: NOBODY, cwd: '/', encoding: 'utf8' }).stdout.trim()).toBe('EACCES');
      }
    } finally {
      expect(await portico.stop()).toBe(0);
    }
  });

  (canUnshare ? it : it.skip)('stays with the first of two Porticos that are both PID 1 (two containers on one volume): the second refuses', async () => {
    const first = await startPorticoProcess({ PORTICO_DATA_DIR: dataDir }, 60_000, IN_OWN_PID_NAMESPACE);
    try {
      const second = await runToExit(IN_OWN_PID_NAMESPACE, { PORTICO_DATA_DIR: dataDir });
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`The data folder ${dataDir} is in use by process 1 on host ${os.hostname()}`);
      expect((await fetch(`${first.url}/health`)).ok).toBe(true);
    } finally {
      const exited = new Promise((resolve) => first.child.once('exit', resolve));
      for (const pid of childrenOf(first.child.pid!)) process.kill(pid, 'SIGTERM');
      await exited;
    }
  }, 120_000);

  it('is taken over from a Portico that was killed outright (kill -9 leaves its lock file)', async () => {
    const killed = await startPorticoProcess({ PORTICO_DATA_DIR: dataDir });
    killed.child.kill('SIGKILL');
    await killed.stop();
    expect(fs.existsSync(path.join(dataDir, 'portico.lock'))).toBe(true);
    const next = await startPorticoProcess({ PORTICO_DATA_DIR: dataDir });
    expect(await next.stop()).toBe(0);
  });
});
