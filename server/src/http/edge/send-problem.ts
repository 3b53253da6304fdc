import type { Request, Response } from 'express';
import { ScimError } from '../../modules/directories/scim-error';
import { sendErrorPage } from '../sso/error-page';
import type { HttpProblem } from './http-problem';
import { routeFamilyOf, type RouteFamily } from './route-family';

const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

const PAGE_TITLES: Record<number, string> = { 400: 'Bad request', 404: 'Not found', 413: 'Request too large', 415: 'Unsupported request' };

// SCIM's scimType for the rules it has a word for (RFC 7644 §3.12).
const scimTypeOf = (problem: HttpProblem) =>
  problem.code === 'invalid_json' || problem.code === 'too_deep' ? 'invalidSyntax' : problem.field !== undefined && problem.status === 400 ? 'invalidValue' : undefined;

const RENDERERS: Record<RouteFamily, (res: Response, problem: HttpProblem) => void> = {
  // WorkOS REST (contract §1.5): a field problem is `invalid_request_parameters` with errors[], which the SDK raises as
  // BadRequestException; others are `{message, code}`.
  rest: (res, p) => {
    res.status(p.status).json(p.field !== undefined
      ? { code: 'invalid_request_parameters', message: p.message, errors: [{ field: p.field, code: p.code }] }
      : { message: p.message, code: p.code });
  },
  // /sso/token answers OAuth 2.0 errors (RFC 6749 §5.2), which the SDK raises as OauthException.
  oauth: (res, p) => {
    res.status(p.status).set('Cache-Control', 'no-store').json({ error: p.status >= 500 ? 'server_error' : 'invalid_request', error_description: p.message });
  },
  scim: (res, p) => {
    res.status(p.status).type(SCIM_CONTENT_TYPE).send(JSON.stringify(new ScimError(p.status, p.message, scimTypeOf(p)).toJSON()));
  },
  // The shape Apollo gives its own HTTP-level refusals.
  graphql: (res, p) => {
    const code = p.status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST';
    res.status(p.status).json({ errors: [{ message: p.message, extensions: { code, reason: p.code, ...(p.field !== undefined ? { field: p.field } : {}) } }] });
  },
  page: (res, p) => {
    sendErrorPage(res, { kind: 'error_page', status: p.status, title: PAGE_TITLES[p.status] ?? (p.status >= 500 ? 'Something went wrong' : 'Request refused'), message: p.message });
  },
};

/** Answers `problem` in the shape the route's callers read (see RouteFamily). */
export function sendProblem(req: Request, res: Response, problem: HttpProblem): void {
  RENDERERS[routeFamilyOf(req.originalUrl.split('?')[0] ?? '/')](res, problem);
}
