import fs from 'node:fs';
import path from 'node:path';
import Piscina from 'piscina';
import { SamlError, validateSamlResponse, type SamlErrorReason, type SamlResponseInput, type ValidatedSamlResponse } from '../../auth/saml';
import { acsValidationSeconds, observeValidationQueue, validationPoolShed } from '../../lib/metrics';
import { currentTraceCarrier, inSpan, tracingEnabled } from '../../lib/tracing';

export type ValidationOutcome =
  | { ok: true; value: ValidatedSamlResponse }
  | { ok: false; error: { reason: SamlErrorReason; message: string; expected?: unknown; received?: unknown; details?: Record<string, unknown>; decryptedAssertion?: string } };

/** What a worker receives: the response to check, and the request's trace context (W3C headers) for its span. */
export interface ValidationTask {
  input: SamlResponseInput;
  trace: Record<string, string>;
}

/** Validates SAML responses off the main event loop: XML parsing and canonicalization are CPU-bound. */
export interface SamlValidator {
  readonly threads: number;
  /** Whether validations can run: the pool has live worker threads and is not closing. */
  alive(): boolean;
  /** Resolves with the validated response or rejects with a SamlError, as validateSamlResponse does. */
  validate(input: SamlResponseInput): Promise<ValidatedSamlResponse>;
  close(): Promise<void>;
}

/** Validations waiting per thread before new ones are turned away (about a second of work at ~1 ms each). */
const MAX_QUEUED_PER_THREAD = 512;

/** Every worker is busy and the queue is full: the caller should answer 503 with Retry-After. */
export class ValidatorBusyError extends Error {
  constructor() {
    super('SAML validation is at capacity');
    this.name = 'ValidatorBusyError';
  }
}

/** The compiled worker. Under ts-jest this module runs from src/, so the worker comes from the build (`npm test` builds first). */
function workerFile(): string {
  const here = __filename.endsWith('.ts') ? path.resolve(__dirname, '../../../dist/modules/sso-sessions') : __dirname;
  const file = path.join(here, 'saml-worker.js');
  if (!fs.existsSync(file)) throw new Error(`The SAML worker is not built (${file}); run the server build first`);
  return file;
}

function unwrap(outcome: ValidationOutcome): ValidatedSamlResponse {
  if (outcome.ok) return outcome.value;
  throw new SamlError(outcome.error);
}

/** Times a validation (queue wait included) in a `saml.validate` span and the ACS latency histogram. */
async function measured(work: () => Promise<ValidatedSamlResponse>): Promise<ValidatedSamlResponse> {
  const stop = acsValidationSeconds.startTimer();
  return inSpan('saml.validate', async (span) => {
    try {
      const value = await work();
      stop({ result: 'valid' });
      return value;
    } catch (err) {
      stop({ result: err instanceof SamlError ? 'refused' : 'error' });
      if (err instanceof SamlError) span.setAttribute('portico.saml.reason', err.reason);
      throw err;
    }
  });
}

/** What every validation worker is started with. */
export interface ValidationWorkerData {
  /** The worker thread's nice value (see lib/thread-priority); 0 leaves it at the main thread's. */
  nice: number;
}

/**
 * A pool of `threads` workers; 0 validates on the calling thread (for tools and small deployments). The workers run
 * at `nice` (default 10) below the main thread, so a storm of sign-ins can't keep the main thread off the cores.
 */
export function createSamlValidator(threads: number, { nice = 10 }: { nice?: number } = {}): SamlValidator {
  if (threads === 0) {
    return { threads: 0, alive: () => true, validate: (input) => measured(() => validateSamlResponse(input)), close: async () => {} };
  }
  const pool = new Piscina({
    filename: workerFile(), workerData: { nice } satisfies ValidationWorkerData, minThreads: threads, maxThreads: threads, idleTimeout: 60_000, maxQueue: threads * MAX_QUEUED_PER_THREAD,
    // Each worker holds its next validation while it runs one: handing tasks over is the main thread's work, and
    // during a storm the main thread is the busiest; workers waiting for it sat idle 70% of a storm with validations
    // queued (CPU profile of bench:acs). Validation is synchronous, so the second waits in the worker's port.
    concurrentTasksPerWorker: 2,
    // An idle worker blocks in Atomics.wait by default, and a blocked event loop never runs the span exporter's
    // timer: with tracing on, workers wait for tasks without blocking, so their spans leave between sign-ins.
    atomics: tracingEnabled() ? 'async' : 'sync',
  });
  let closing = false;
  const unobserve = observeValidationQueue((set) => set({}, pool.queueSize));
  return {
    threads,
    alive: () => !closing && pool.threads.length > 0,
    async validate(input) {
      if (pool.queueSize >= threads * MAX_QUEUED_PER_THREAD) {
        validationPoolShed.inc();
        throw new ValidatorBusyError();
      }
      return measured(async () => unwrap((await pool.run({ input, trace: currentTraceCarrier() } satisfies ValidationTask)) as ValidationOutcome));
    },
    async close() {
      closing = true;
      unobserve();
      // Let queued validations finish: the HTTP server has stopped taking requests by now.
      await pool.close();
    },
  };
}
