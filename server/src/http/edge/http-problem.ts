import type { Request } from 'express';
import { logger } from '../../lib/logger';

/**
 * A request refused before (or outside) the domain code: an HTTP status, a stable snake_case code naming the rule,
 * a sentence that names where the problem is, and the field when there is one. Rendered per route family by
 * `sendProblem`; never carries a stack, SQL or a library's internal message.
 */
export interface HttpProblem {
  status: number;
  code: string;
  message: string;
  field?: string;
}

/** Thrown (or passed to `next`) to answer with a problem; the error handlers render it in the route's shape. */
export class HttpProblemError extends Error {
  constructor(readonly problem: HttpProblem) {
    super(problem.message);
    this.name = 'HttpProblemError';
  }
}

// body-parser's error types (http-errors), each with what we tell the client; the library's own messages are not sent.
const BODY_PARSER_PROBLEMS: Record<string, (err: { limit?: number; charset?: string; encoding?: string }) => Omit<HttpProblem, 'status'> & { status: number }> = {
  'entity.parse.failed': () => ({ status: 400, code: 'invalid_json', message: 'The request body is not valid JSON' }),
  'entity.too.large': (err) => ({ status: 413, code: 'body_too_large', message: `The request body is larger than ${formatBytes(err.limit)}` }),
  'parameters.too.many': () => ({ status: 413, code: 'too_many_parameters', message: 'The form has too many fields' }),
  'charset.unsupported': (err) => ({ status: 415, code: 'unsupported_charset', message: `The charset ${JSON.stringify(String(err.charset ?? '')).slice(0, 40)} is not supported; send UTF-8` }),
  'encoding.unsupported': (err) => ({ status: 415, code: 'unsupported_encoding', message: `The content encoding ${JSON.stringify(String(err.encoding ?? '')).slice(0, 40)} is not supported` }),
  'request.aborted': () => ({ status: 400, code: 'request_aborted', message: 'The request body ended early' }),
  'request.size.invalid': () => ({ status: 400, code: 'invalid_content_length', message: 'The request body does not match its Content-Length' }),
};

function formatBytes(bytes: number | undefined): string {
  if (!bytes) return 'the limit';
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${Math.round(bytes / 1024)} KB`;
}

/**
 * What to answer for an error no domain handler claimed. Expected client mistakes keep their 4xx status with our own
 * wording; anything else is logged here with its stack and answered as a bare 500, whatever NODE_ENV says.
 */
export function problemFromError(err: unknown, req: Request): HttpProblem {
  if (err instanceof HttpProblemError) return err.problem;
  const e = (err ?? {}) as { type?: unknown; status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown };
  const known = typeof e.type === 'string' ? BODY_PARSER_PROBLEMS[e.type] : undefined;
  if (known) return known(e as never);
  const status = Number(e.status ?? e.statusCode);
  // http-errors marks 4xx messages safe to show (`expose`), e.g. the router's "Failed to decode param".
  if (status >= 400 && status < 500 && e.expose === true && typeof e.message === 'string') {
    return { status, code: 'bad_request', message: e.message.slice(0, 200) };
  }
  logger.error('request failed', { method: req.method, path: req.baseUrl + req.path, error: err instanceof Error ? err.stack : String(err) });
  return { status: 500, code: 'server_error', message: 'Something went wrong on our side. It has been logged.' };
}
