import type { IncomingMessage, ServerResponse } from 'node:http';

export type Phase = 'starting' | 'ready' | 'draining';

/**
 * Where this process is in its life, for /ready, and the requests in flight, so a stop can wait for them (an
 * ACS post half-way through validation must end in its redirect, not a reset connection).
 */
export class Lifecycle {
  phase: Phase = 'starting';
  private inFlight = 0;
  private drained: (() => void)[] = [];

  /** Counts `res` as in flight until it is sent or its connection closes. */
  track(_req: IncomingMessage, res: ServerResponse): void {
    this.inFlight += 1;
    res.once('close', () => {
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const done of this.drained.splice(0)) done();
    });
  }

  get requestsInFlight(): number {
    return this.inFlight;
  }

  /** Resolves when no request is in flight, or after `ms` (whichever is first); true when drained. */
  whenIdle(ms: number): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      timer.unref();
      this.drained.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
