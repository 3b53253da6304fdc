import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// fs-native-extensions ships no types; this is the one call used. On Linux it is an open-file-description
// fcntl lock (F_OFD_SETLK), flock on macOS: held by the kernel until the file is closed or the process dies.
const { tryLock } = require('fs-native-extensions') as { tryLock(fd: number): boolean };

export const LOCK_FILE = 'portico.lock';

/** Who holds the folder, written into the lock file for the operator's messages and the reboot check. */
export interface LockHolder {
  pid: number;
  hostname: string;
  bootId: string | null;
  bootTime: number;
  startedAt: string;
}

/** This kernel's boot: Linux names each boot; elsewhere the boot time, to the few seconds `uptime` allows. */
export function currentHolder(): LockHolder {
  let bootId: string | null = null;
  try {
    bootId = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    // not Linux
  }
  return { pid: process.pid, hostname: os.hostname(), bootId, bootTime: Math.round(Date.now() - os.uptime() * 1000), startedAt: new Date().toISOString() };
}

function sameBoot(a: LockHolder, b: LockHolder): boolean {
  if (a.bootId && b.bootId) return a.bootId === b.bootId;
  return Math.abs(a.bootTime - b.bootTime) < 10_000;
}

/**
 * Takes the data folder for this process's lifetime, or explains who holds it. The proof of life is an OS
 * lock on `portico.lock`, not a PID: PIDs repeat across PID namespaces (two containers on one volume are
 * both PID 1), while the kernel sees every holder on this machine whatever its namespace, and drops the lock
 * when the holder dies. A free OS lock proves the holder dead only on this kernel, so a record left from
 * another boot (a crash, or a network file system shared with another machine) is refused, never taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const lockPath = path.join(dataDir, LOCK_FILE);
  const me = currentHolder();
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const fd = fs.openSync(lockPath, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600);
    try {
      if (!tryLock(fd)) throw new Error(inUseMessage(dataDir, readRecord(fd)));
      // A releasing holder unlinks the file before closing it: a lock on an unlinked file guards nothing.
      if (!sameFile(fd, lockPath)) {
        fs.closeSync(fd);
        continue;
      }
      refuseUnprovenHolder(dataDir, lockPath, readRecord(fd), me);
      fs.ftruncateSync(fd);
      fs.writeSync(fd, JSON.stringify(me), 0);
      fs.fsyncSync(fd);
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
    return () => {
      fs.rmSync(lockPath, { force: true });
      fs.closeSync(fd);
    };
  }
  throw new Error(`Could not lock the data folder ${dataDir}: its lock file keeps being replaced`);
}

type LockRecord = { kind: 'none' } | { kind: 'holder'; holder: LockHolder } | { kind: 'legacy'; pid: number } | { kind: 'unreadable' };

function readRecord(fd: number): LockRecord {
  const text = fs.readFileSync(fd, 'utf8').trim();
  if (!text) return { kind: 'none' };
  if (/^\d+$/.test(text)) return { kind: 'legacy', pid: Number(text) };
  try {
    const holder = JSON.parse(text) as LockHolder;
    if (Number.isInteger(holder.pid) && typeof holder.hostname === 'string') return { kind: 'holder', holder };
  } catch {
    // fall through
  }
  return { kind: 'unreadable' };
}

function refuseUnprovenHolder(dataDir: string, lockPath: string, record: LockRecord, me: LockHolder): void {
  const removeHint = `If no Portico uses this folder any more, delete ${lockPath} and start again.`;
  if (record.kind === 'unreadable') throw new Error(`The lock file ${lockPath} is not one Portico wrote. ${removeHint}`);
  // Versions before the OS lock wrote a bare PID and took no OS lock: a live process may still hold the folder.
  if (record.kind === 'legacy' && record.pid !== process.pid && isAlive(record.pid)) {
    throw new Error(`The data folder ${dataDir} is in use by process ${record.pid}. Stop it, or set PORTICO_DATA_DIR to another folder.`);
  }
  if (record.kind === 'holder' && !sameBoot(record.holder, me)) {
    const { pid, hostname, startedAt } = record.holder;
    throw new Error(
      `The data folder ${dataDir} was locked by process ${pid} on host ${hostname} (started ${startedAt}) before this machine last booted, or on another machine: Portico can't tell whether it still runs. ${removeHint}`,
    );
  }
}

function inUseMessage(dataDir: string, record: LockRecord): string {
  const who = record.kind === 'holder' ? `process ${record.holder.pid} on host ${record.holder.hostname} (started ${record.holder.startedAt})` : 'another process';
  return `The data folder ${dataDir} is in use by ${who}. Stop it, or set PORTICO_DATA_DIR to another folder.`;
}

function sameFile(fd: number, file: string): boolean {
  try {
    return fs.fstatSync(fd).ino === fs.statSync(file).ino;
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
