import { SamlError, validateSamlResponse, type SamlResponseInput } from '../../auth/saml';
import type { ValidationOutcome } from './validation-pool';

/** Runs in a worker thread: validates one response. A SamlError comes back as data (classes don't cross threads). */
export default async function validateInWorker(input: SamlResponseInput): Promise<ValidationOutcome> {
  try {
    return { ok: true, value: await validateSamlResponse(input) };
  } catch (err) {
    if (err instanceof SamlError) return { ok: false, error: err.toJSON() };
    throw err;
  }
}
