import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Lowers the calling thread's CPU priority to `nice` (1–19; Linux only, where a thread has its own nice value).
 * SAML validation threads run at a lower priority than the main thread, so the main thread, which answers every
 * request (the dashboard's queries among them) and hands sign-ins to the workers, gets a core as soon as it has
 * work; the validation threads take what is left. Returns whether the priority was set.
 */
export function lowerThreadPriority(nice: number): boolean {
  if (nice <= 0 || process.platform !== 'linux') return false;
  try {
    // `/proc/thread-self` → `<pid>/task/<tid>`; setpriority(2) on a thread ID changes that thread alone.
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, Math.min(19, nice));
    return true;
  } catch {
    return false;
  }
}
