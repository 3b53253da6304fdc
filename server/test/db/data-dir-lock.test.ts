import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { currentHolder, LOCK_FILE, lockDataDir, type LockHolder } from '../../src/db/data-dir-lock';

const NATIVE_LOCKS = require.resolve('fs-native-extensions');
const canUnshare = process.getuid?.() === 0 && spawnSync('unshare', ['--pid', '--fork', 'true']).status === 0;

/** A real process that takes the OS lock on `dir`'s lock file and writes its record, as a running Portico does. */
async function holdLock(dir: string, wrap: string[] = []): Promise<{ child: ChildProcess; record: LockHolder }> {
  const script = `
    const fs = require('fs'), os = require('os');
    const fd = fs.openSync(${JSON.stringify(path.join(dir, LOCK_FILE))}, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600);
    if (!require(${JSON.stringify(NATIVE_LOCKS)}).tryLock(fd)) process.exit(3);
    const record = { pid: process.pid, hostname: os.hostname(), bootId: fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(), bootTime: 0, startedAt: new Date().toISOString() };
    fs.writeSync(fd, JSON.stringify(record), 0);
    process.stdout.write(JSON.stringify(record) + '\\n');
    setInterval(() => {}, 1000);`;
  const [cmd, ...args] = [...wrap, process.execPath, '-e', script];
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const record = await new Promise<LockHolder>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(JSON.parse(out));
    });
    child.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
  });
  return { child, record };
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

describe('the data-folder lock', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-lock-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const writeRecord = (content: string) => fs.writeFileSync(path.join(dir, LOCK_FILE), content);

  it('refuses a second lock while the first is held, even in the same process (same PID)', () => {
    const release = lockDataDir(dir);
    try {
      expect(() => lockDataDir(dir)).toThrow(`is in use by process ${process.pid} on host ${os.hostname()}`);
    } finally {
      release();
    }
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    lockDataDir(dir)();
  });

  it('refuses while another live process holds the lock, naming it', async () => {
    const { child } = await holdLock(dir);
    try {
      expect(() => lockDataDir(dir)).toThrow(`The data folder ${dir} is in use by process ${child.pid} on host ${os.hostname()}`);
    } finally {
      await kill(child);
    }
    // The kernel dropped the dead holder's lock; its record is from this boot, so the lock is taken over.
    lockDataDir(dir)();
  });

  (canUnshare ? it : it.skip)('refuses while PID 1 of another PID namespace (another container on the volume) holds the lock', async () => {
    const { child, record } = await holdLock(dir, ['unshare', '--pid', '--fork', '--kill-child']);
    try {
      expect(record.pid).toBe(1);
      expect(() => lockDataDir(dir)).toThrow(`is in use by process 1 on host ${os.hostname()}`);
    } finally {
      await kill(child);
    }
  });

  const other = { hostname: 'portico-elsewhere', bootId: 'another-boot-id', bootTime: 0, startedAt: '2025-01-01T00:00:00.000Z' };
  it.each([
    ['PID 1 on another host and boot (a container on another machine sharing the folder)', () => JSON.stringify({ ...other, pid: 1 }), 'was locked by process 1 on host portico-elsewhere'],
    ['this very PID and host, but another boot', () => JSON.stringify({ ...currentHolder(), pid: process.pid, bootId: 'another-boot-id' }), `was locked by process ${process.pid} on host ${os.hostname()}`],
    ['something Portico did not write', () => 'not a lock record', 'is not one Portico wrote'],
  ])('refuses, and says how to remove it, a lock left by %s: its holder cannot be proven dead', (_case, makeRecord, message) => {
    const record = makeRecord();
    writeRecord(record);
    expect(() => lockDataDir(dir)).toThrow(message);
    expect(() => lockDataDir(dir)).toThrow(`delete ${path.join(dir, LOCK_FILE)} and start again`);
    expect(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')).toBe(record);
  });

  it('refuses a lock an older Portico (a bare PID, no OS lock) left while that process still runs', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    try {
      writeRecord(String(child.pid));
      expect(() => lockDataDir(dir)).toThrow(`is in use by process ${child.pid}`);
    } finally {
      await kill(child);
    }
  });

  it.each([
    ['a dead process of this boot', () => JSON.stringify({ ...currentHolder(), pid: deadPid() })],
    ['PID 1 of another container on this machine, now gone (the OS lock is free on this kernel)', () => JSON.stringify({ ...currentHolder(), pid: 1, hostname: 'portico-old-container' })],
    ['an older Portico whose process is gone', () => String(deadPid())],
    ['a holder that died while writing its record', () => ''],
  ])('takes over a lock left by %s', (_case, record) => {
    writeRecord(record());
    const release = lockDataDir(dir);
    expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, hostname: os.hostname() });
    release();
  });
});
