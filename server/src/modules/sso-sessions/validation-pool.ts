import fs from 'node:fs';
import path from 'node:path';
import Piscina from 'piscina';
import { SamlError, validateSamlResponse, type SamlErrorReason, type SamlResponseInput, type ValidatedSamlResponse } from '../../auth/saml';

export type ValidationOutcome =
  | { ok: true; value: ValidatedSamlResponse }
  | { ok: false; error: { reason: SamlErrorReason; message: string; expected?: unknown; received?: unknown; details?: Record<string, unknown>; decryptedAssertion?: string } };

/** Validates SAML responses off the main event loop: XML parsing and canonicalization are CPU-bound. */
export interface SamlValidator {
  readonly threads: number;
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

/** A pool of `threads` workers; 0 validates on the calling thread (for tools and small deployments). */
export function createSamlValidator(threads: number): SamlValidator {
  if (threads === 0) {
    return { threads: 0, validate: (input) => validateSamlResponse(input), close: async () => {} };
  }
  const pool = new Piscina({ filename: workerFile(), minThreads: threads, maxThreads: threads, idleTimeout: 60_000, maxQueue: threads * MAX_QUEUED_PER_THREAD });
  return {
    threads,
    async validate(input) {
      if (pool.queueSize >= threads * MAX_QUEUED_PER_THREAD) throw new ValidatorBusyError();
      return unwrap((await pool.run(input)) as ValidationOutcome);
    },
    async close() {
      // Let queued validations finish: the HTTP server has stopped taking requests by now.
      await pool.close();
    },
  };
}
