import type { NextFunction, Request, Response } from 'express';
import { documentNestingOf, MAX_DOCUMENT_NESTING } from '../../graphql/document-nesting';
import { HttpProblemError } from './http-problem';

/** Refuses a GraphQL document nested past MAX_DOCUMENT_NESTING before Apollo parses it (POST body or GET query). */
export function refuseDeepDocuments(req: Request, _res: Response, next: NextFunction): void {
  const fromBody = (req.body as { query?: unknown } | undefined)?.query;
  const query = typeof fromBody === 'string' ? fromBody : req.query.query;
  if (typeof query === 'string' && documentNestingOf(query) > MAX_DOCUMENT_NESTING) {
    return next(new HttpProblemError({ status: 400, code: 'too_deep', field: 'query', message: `The GraphQL document nests deeper than ${MAX_DOCUMENT_NESTING} levels` }));
  }
  next();
}
