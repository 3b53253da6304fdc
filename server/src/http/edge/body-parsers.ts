import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { routeFamilyOf, type RouteFamily } from './route-family';

const JSON_TYPES = ['application/json', 'application/*+json'];

// The raw text of each form body, for the text guard: the form parser replaces invalid percent-encoding with U+FFFD,
// which would hide it.
const rawForms = new WeakMap<Request, string>();
const keepRawForm = (req: Request, _res: Response, buf: Buffer) => {
  rawForms.set(req, buf.toString('utf8'));
};

export const rawFormOf = (req: Request): string | undefined => rawForms.get(req);

const json = (limit: string, type = JSON_TYPES) => express.json({ limit, type });
const form = (limit: string) => express.urlencoded({ extended: false, limit, verify: keepRawForm });

/**
 * Every body Portico reads, parsed in one place before any router, each with a limit: the text guard then sees the
 * whole request, and an oversized body is refused (413) before a router or a database sees it.
 */
const PARSERS: Record<RouteFamily | 'acs' | 'testIdp', RequestHandler[]> = {
  testIdp: [form('64kb')],
  graphql: [json('1mb', ['application/json'])],
  // SCIM providers send full users and groups (Entra ID groups of a few thousand members reach ~1 MB).
  scim: [json('2mb', ['application/scim+json', ...JSON_TYPES])],
  // A token request is a few short fields (the SDK sends JSON; RFC 6749 clients send a form).
  oauth: [form('64kb'), json('64kb')],
  // A signed, possibly encrypted SAMLResponse with many attributes, base64-encoded.
  acs: [form('1mb')],
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
