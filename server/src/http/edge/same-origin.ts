import type { Request } from 'express';

/**
 * A browser's unsafe request (a form post, a fetch) is accepted only from Portico's own pages. Browsers say where a
 * request comes from: `Sec-Fetch-Site` (all current browsers), else `Origin` (every cross-origin POST; `null` from a
 * sandboxed page, refused). A request that carries neither is not a browser's cross-site request (a script, a test
 * client), which cookies and tokens guard instead. Returns why a request is refused, or null.
 *
 * Not for endpoints that are cross-site by design: the SAML ACS (the IdP's page posts it) and the OAuth callback
 * (Apple's form_post).
 */
export function crossSiteRefusal(req: Request, publicUrl: string): string | null {
  if (['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return null;
  // Sec-Fetch-Site first: under Referrer-Policy no-referrer a browser sends `Origin: null` even from the same origin.
  const site = req.get('sec-fetch-site');
  if (site !== undefined) return site === 'same-origin' ? null : `Sec-Fetch-Site is ${site}, expected same-origin`;
  const origin = req.get('origin');
  if (origin === undefined) return null;
  // The public URL is the address people use; the Host header is what a reverse proxy forwarded. A cross-site page
  // cannot make its Origin equal either.
  const allowed = [new URL(publicUrl).origin, `${req.protocol}://${req.get('host')}`];
  return allowed.includes(origin) ? null : `Origin ${origin.slice(0, 100)} is not ${allowed[0]}`;
}
