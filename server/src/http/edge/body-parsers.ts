import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { HttpProblemError } from './http-problem';
import { routeFamilyOf, type RouteFamily } from './route-family';
import { parseStrictForm } from './text-guard';

const JSON_TYPES = ['application/json', 'application/*+json'];

const FORM_TYPE = 'application/x-www-form-urlencoded';
const json = (limit: string, type = JSON_TYPES) => express.json({ limit, type });

// body-parser's form parser took these (and decoded ISO-8859-1 as such; the text guard then refused any byte that
// was not UTF-8, so only ASCII ever passed in it, as now).
const FORM_CHARSETS = new Set(['utf-8', 'iso-8859-1']);
const charsetOf = (req: Request): string => (/;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.get('content-type') ?? '')?.[1] ?? 'utf-8').toLowerCase();

/**
 * A form body: read as bytes by body-parser (limit, Content-Length, content encodings), then decoded, split and
 * checked by the text guard in one pass, where body-parser's form parser and the guard each decoded it. The same
 * error types, so the same problems are answered.
 */
function form(limit: string): RequestHandler[] {
  return [
    express.raw({ type: FORM_TYPE, limit }),
    (req, _res, next) => {
      if (!Buffer.isBuffer(req.body) || !req.is(FORM_TYPE)) return next();
      const charset = charsetOf(req);
      if (!FORM_CHARSETS.has(charset)) return next(Object.assign(new Error('unsupported charset'), { type: 'charset.unsupported', status: 415, charset }));
      const parsed = parseStrictForm(req.body.toString('utf8'));
      if (parsed instanceof HttpProblemError) return next(parsed);
      req.body = parsed;
      next();
    },
  ];
}

/**
 * Every body Portico reads, parsed in one place before any router, each with a limit: the text guard then sees the
 * whole request, and an oversized body is refused (413) before a router or a database sees it.
 */
const PARSERS: Record<RouteFamily | 'acs' | 'testIdp', RequestHandler[]> = {
  testIdp: form('64kb'),
  graphql: [json('1mb', ['application/json'])],
  // SCIM providers send full users and groups (Entra ID groups of a few thousand members reach ~1 MB).
  scim: [json('2mb', ['application/scim+json', ...JSON_TYPES])],
  // A token request is a few short fields (the SDK sends JSON; RFC 6749 clients send a form).
  oauth: [...form('64kb'), json('64kb')],
  // A signed, possibly encrypted SAMLResponse with many attributes, base64-encoded.
  acs: form('1mb'),
  page: [],
  rest: [json('1mb')],
};

function parsersFor(req: Request): RequestHandler[] {
  const path = req.path.toLowerCase();
  if (req.method === 'POST' && path.startsWith('/sso/saml/acs/')) return PARSERS.acs;
  // Apple's form_post answer: code, state, id_token and (first sign-in) the user's name.
  if (req.method === 'POST' && path === '/sso/oauth/callback') return PARSERS.oauth;
  // The test IdP's login form: a user, a scenario and the AuthnRequest it answers.
  if (req.method === 'POST' && path.startsWith('/test-idp/')) return PARSERS.testIdp;
  return PARSERS[routeFamilyOf(path)];
}

export function parseRequestBodies(req: Request, res: Response, next: NextFunction): void {
  const parsers = parsersFor(req);
  const run = (i: number, err?: unknown): void => {
    if (err || i === parsers.length) return next(err);
    parsers[i]!(req, res, (e?: unknown) => run(i + 1, e));
  };
  run(0);
}
