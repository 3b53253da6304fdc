import type { NextFunction, Request, Response } from 'express';
import { TEXT_FLAW_WORDING, textFlawOf, type TextFlaw } from '../../lib/unsafe-text';
import { HttpProblemError } from './http-problem';
import { routeFamilyOf } from './route-family';

/**
 * Text Portico refuses at the edge, for every route, before any router runs: NUL and lone surrogates (see
 * lib/unsafe-text) in the decoded path, query keys and values, form fields and any JSON string or key at any depth;
 * percent-encoding that does not decode to UTF-8; JSON integers beyond ±2^53 (they can't be held exactly); and JSON
 * nested deeper than MAX_JSON_DEPTH (refused without recursion, so no walker downstream can overflow its stack).
 */
export const MAX_JSON_DEPTH = 64;

type Rule = TextFlaw | 'invalid_percent_encoding' | 'unsafe_number' | 'too_deep';

const RULE_TEXT: Record<Rule, string> = {
  ...TEXT_FLAW_WORDING,
  invalid_percent_encoding: 'is not valid percent-encoded UTF-8',
  unsafe_number: 'is a number beyond ±2^53, which cannot be represented exactly',
  too_deep: `nests deeper than ${MAX_JSON_DEPTH} levels`,
};

const shown = (name: string) => JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name);

function refuse(where: string, field: string, rule: Rule): HttpProblemError {
  return new HttpProblemError({ status: 400, code: rule, field, message: `${where} ${RULE_TEXT[rule]}` });
}

function decodeStrictly(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** One `name=value` pair's name and value, decoded strictly; a problem when either is refused. */
function decodePair(pair: string, kind: 'query parameter' | 'form field'): { name: string; value: string } | HttpProblemError {
  const eq = pair.indexOf('=');
  const name = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
  if (name === null) return refuse(`a ${kind} name`, kind === 'query parameter' ? 'query' : 'body', 'invalid_percent_encoding');
  const nameFlaw = textFlawOf(name);
  if (nameFlaw) return refuse(`the ${kind} name ${shown(name)}`, name, nameFlaw);
  const value = decodeComponent(eq < 0 ? '' : pair.slice(eq + 1));
  if (value === null) return refuse(`${kind} ${shown(name)}`, name, 'invalid_percent_encoding');
  const valueFlaw = textFlawOf(value);
  if (valueFlaw) return refuse(`${kind} ${shown(name)}`, name, valueFlaw);
  return { name, value };
}

/**
 * `+` as a space and percent-encoding as UTF-8, strictly (null when it does not decode). A SAMLResponse is ~12 KB:
 * text without `+` or `%` is returned as it is, not copied.
 */
function decodeComponent(text: string): string | null {
  const spaced = text.includes('+') ? text.replace(/\+/g, ' ') : text;
  return spaced.includes('%') ? decodeStrictly(spaced) : spaced;
}

/** `a=1&b=2` as a query string: each name and value decoded strictly and checked. */
function checkEncodedPairs(raw: string, kind: 'query parameter' | 'form field'): HttpProblemError | null {
  for (const pair of raw.split('&')) {
    if (!pair) continue;
    const decoded = decodePair(pair, kind);
    if (decoded instanceof HttpProblemError) return decoded;
  }
  return null;
}

/** What body-parser allows by default: more fields than this is refused (413) before any is decoded. */
export const MAX_FORM_FIELDS = 1000;

/**
 * An application/x-www-form-urlencoded body parsed and checked in one pass (body-parser decoded it once and the
 * guard again from the raw text: half of the main thread's allocation per sign-in was copies of the SAMLResponse).
 * Names are taken literally (`a[b]` is a name, as body-parser's simple mode has it); a repeated name gives an array.
 */
export function parseStrictForm(raw: string): Record<string, string | string[]> | HttpProblemError {
  const body: Record<string, string | string[]> = {};
  const pairs = raw.split('&');
  if (pairs.length > MAX_FORM_FIELDS) return new HttpProblemError({ status: 413, code: 'too_many_parameters', message: 'The form has too many fields' });
  for (const pair of pairs) {
    if (!pair) continue;
    const decoded = decodePair(pair, 'form field');
    if (decoded instanceof HttpProblemError) return decoded;
    const { name, value } = decoded;
    const seen = Object.prototype.hasOwnProperty.call(body, name) ? body[name] : undefined;
    // defineProperty: a field named __proto__ is an own key (the prototype-key guard then refuses it), never the setter.
    Object.defineProperty(body, name, {
      value: seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value],
      enumerable: true, writable: true, configurable: true,
    });
  }
  checkedForms.add(body);
  return body;
}

/** Bodies `parseStrictForm` made: every field was checked as it was decoded. */
const checkedForms = new WeakSet<object>();

const isUnsafeNumber = (n: number) => !Number.isFinite(n) || (Number.isInteger(n) && !Number.isSafeInteger(n));

/** Walks parsed JSON with an explicit stack (never recursion), refusing past MAX_JSON_DEPTH. */
export function checkJson(root: unknown, where: string, prefix = ''): HttpProblemError | null {
  const stack: [value: unknown, path: string, depth: number][] = [[root, prefix, 0]];
  while (stack.length) {
    const [value, path, depth] = stack.pop()!;
    const field = path || where;
    if (typeof value === 'string') {
      const flaw = textFlawOf(value);
      if (flaw) return refuse(`${where} ${shown(field)}`, field, flaw);
    } else if (typeof value === 'number') {
      if (isUnsafeNumber(value)) return refuse(`${where} ${shown(field)}`, field, 'unsafe_number');
    } else if (value !== null && typeof value === 'object') {
      if (depth >= MAX_JSON_DEPTH) return refuse('the JSON body', field, 'too_deep');
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i -= 1) stack.push([value[i], `${path}[${i}]`, depth + 1]);
        continue;
      }
      for (const [key, child] of Object.entries(value).reverse()) {
        const flaw = textFlawOf(key);
        if (flaw) return refuse(path ? `a key in ${where} ${shown(path)}` : 'a key of the JSON body', field, flaw);
        stack.push([child, path ? `${path}.${key}` : key, depth + 1]);
      }
    }
  }
  return null;
}

function checkUrl(req: Request): HttpProblemError | null {
  const url = req.originalUrl;
  const q = url.indexOf('?');
  const path = decodeStrictly(q < 0 ? url : url.slice(0, q));
  if (path === null) return refuse('the URL path', 'path', 'invalid_percent_encoding');
  const pathFlaw = textFlawOf(path);
  if (pathFlaw) return refuse('the URL path', 'path', pathFlaw);
  if (q < 0) return null;
  const queryFlaw = checkEncodedPairs(url.slice(q + 1), 'query parameter');
  if (queryFlaw || routeFamilyOf(url.slice(0, q)) !== 'graphql') return queryFlaw;
  // GraphQL over GET carries its variables as JSON in the query string.
  for (const name of ['variables', 'extensions']) {
    const text = req.query[name];
    if (typeof text !== 'string') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      continue; // Apollo answers malformed variables with its own 400
    }
    const flaw = checkJson(parsed, 'query parameter', name);
    if (flaw) return flaw;
  }
  return null;
}

/** Before body parsing: the path and the query string. */
export function refuseUnsafeUrl(req: Request, _res: Response, next: NextFunction): void {
  next(checkUrl(req) ?? undefined);
}

/** After body parsing: every string, key and number of a JSON body (form fields were checked as they were parsed). */
export function refuseUnsafeBody(req: Request, _res: Response, next: NextFunction): void {
  if (checkedForms.has(req.body)) return next();
  if (req.body === undefined || req.body === null || typeof req.body !== 'object') return next();
  next(checkJson(req.body, 'body field') ?? undefined);
}
