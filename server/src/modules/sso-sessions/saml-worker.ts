import { workerData } from 'piscina';
import { SamlError, validateSamlResponse } from '../../auth/saml';
import { lowerThreadPriority } from '../../lib/thread-priority';
import { inSpan, startTracing } from '../../lib/tracing';
import type { ValidationOutcome, ValidationTask, ValidationWorkerData } from './validation-pool';

lowerThreadPriority((workerData as ValidationWorkerData | undefined)?.nice ?? 0);

// A worker thread has its own tracer: its span joins the request's trace through the carrier the task brings.
startTracing({ instrument: false });

/** Runs in a worker thread: validates one response. A SamlError comes back as data (classes don't cross threads). */
export default async function validateInWorker({ input, trace }: ValidationTask): Promise<ValidationOutcome> {
  return inSpan('saml.validate.worker', async (span) => {
    try {
      return { ok: true, value: await validateSamlResponse(input) };
    } catch (err) {
      if (!(err instanceof SamlError)) throw err;
      span.setAttribute('portico.saml.reason', err.reason);
      return { ok: false, error: err.toJSON() };
    }
  }, trace);
}
