import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { parse, serialize } from 'cookie';
import type { Request, Response } from 'express';
import type { SecretBox } from '../../lib/secret-box';

/**
 * The test IdP's login form is a CSRF target: posted from another site, it would sign the visitor's browser in as a
 * user the other site chose (login CSRF). Each page carries a sealed token bound to a random value in a SameSite=Strict
 * cookie of this browser, to the environment, and to the exact SAMLRequest and RelayState the page shows; the answer is
 * signed only when all match and the token is less than FORM_TOKEN_TTL_MS old (double-submit, sealed).
 */
export const TEST_IDP_BROWSER_COOKIE = 'portico_test_idp';
export const FORM_TOKEN_FIELD = 'form_token';
export const FORM_TOKEN_TTL_MS = 30 * 60_000;

const context = (environmentId: string) => `test_idp_form:${environmentId}`;
const digest = (text: string | null) => createHash('sha256').update(text ?? '').digest('base64url');
const NONCE = /^[\w-]{43}$/;

interface Bound { environmentId: string; samlRequest: string | null; relayState: string | null }

/** This browser's value (kept if it has one, so two open tabs both work) and a token for a page showing `bound`. */
export function issueFormToken(req: Request, res: Response, secrets: SecretBox, bound: Bound & { secure: boolean }, now = Date.now()): string {
  const existing = parse(req.headers.cookie ?? '')[TEST_IDP_BROWSER_COOKIE];
  const nonce = existing && NONCE.test(existing) ? existing : randomBytes(32).toString('base64url');
  res.append('Set-Cookie', serialize(TEST_IDP_BROWSER_COOKIE, nonce, {
    httpOnly: true, sameSite: 'strict', secure: bound.secure, path: `/test-idp/${bound.environmentId}`, maxAge: FORM_TOKEN_TTL_MS / 1000,
  }));
  const payload = { n: nonce, q: digest(bound.samlRequest), r: digest(bound.relayState), exp: now + FORM_TOKEN_TTL_MS };
  return secrets.seal(JSON.stringify(payload), context(bound.environmentId));
}

/** Why the posted form is refused (names the rule), or null when its token matches this browser and this request. */
export function formTokenRefusal(req: Request, secrets: SecretBox, token: string | undefined, bound: Bound, now = Date.now()): string | null {
  if (!token) return `${FORM_TOKEN_FIELD} is missing`;
  let payload: { n?: unknown; q?: unknown; r?: unknown; exp?: unknown };
  try {
    payload = JSON.parse(secrets.open(token, context(bound.environmentId)));
  } catch {
    return `${FORM_TOKEN_FIELD} was not issued by this test identity provider`;
  }
  const nonce = parse(req.headers.cookie ?? '')[TEST_IDP_BROWSER_COOKIE];
  if (!nonce || typeof payload.n !== 'string' || nonce.length !== payload.n.length || !timingSafeEqual(Buffer.from(nonce), Buffer.from(payload.n))) {
    return `${FORM_TOKEN_FIELD} belongs to another browser (the ${TEST_IDP_BROWSER_COOKIE} cookie does not match)`;
  }
  if (payload.q !== digest(bound.samlRequest) || payload.r !== digest(bound.relayState)) return `${FORM_TOKEN_FIELD} was issued for another sign-in request`;
  if (typeof payload.exp !== 'number' || payload.exp <= now) return `${FORM_TOKEN_FIELD} has expired`;
  return null;
}
