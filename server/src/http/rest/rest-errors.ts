import type { NextFunction, Request, Response } from 'express';
import { AppError, QueryParameterError, RateLimitedError } from '../../errors';
import { uniqueViolation } from '../../db/unique-violation';
import { problemFromError } from '../edge/http-problem';
import { sendProblem } from '../edge/send-problem';

const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * AppErrors as the WorkOS API spells them (contract §1.5), so the SDK raises the matching exception:
 * 401 Unauthorized, 404 entity_not_found, 409 with a code, 422 invalid_request_parameters with errors[] (400 for a
 * bad query parameter). Anything else goes to the edge's answer: 4xx in this shape, or logged and 500 without internals.
 */
export function restErrorHandler(err: unknown, req: Request, res: Response, _next: NextFunction): void {
  if (res.headersSent) return;
  // A unique index that a concurrent request won (the service's own check ran before that request committed).
  if (uniqueViolation(err)) {
    res.status(409).json({ message: 'This conflicts with a record another request has just created', code: 'conflict' });
    return;
  }
  if (!(err instanceof AppError)) {
    sendProblem(req, res, problemFromError(err, req));
    return;
  }
  switch (err.code) {
    case 'UNAUTHENTICATED':
      res.status(401).json({ message: 'Unauthorized', code: 'unauthorized' });
      return;
    case 'BAD_USER_INPUT':
      res.status(err instanceof QueryParameterError ? 400 : 422).json({
        code: 'invalid_request_parameters',
        message: err.message,
        errors: (err.details ?? []).map((d) => ({ field: snake(d.field), code: d.code, message: d.message })),
      });
      return;
    case 'NOT_FOUND': {
      const id = req.params.id ?? req.params.external_id;
      res.status(404).json({ message: id ? `${err.message}: '${id}'` : err.message, code: 'entity_not_found', ...(id ? { entity_id: id } : {}) });
      return;
    }
    case 'CONFLICT':
      res.status(409).json({ message: err.message, code: err.details?.[0] ? `${snake(err.details[0].field)}_conflict` : 'conflict' });
      return;
    case 'FORBIDDEN':
      res.status(403).json({ message: err.message, code: err.reason ?? 'forbidden' });
      return;
    case 'RATE_LIMITED':
      res.status(429).set('Retry-After', String((err as RateLimitedError).retryAfterSeconds)).json({ message: err.message, code: 'rate_limit_exceeded' });
      return;
    default:
      res.status(err.status).json({ message: err.message, code: err.code.toLowerCase() });
  }
}
