import type { Response } from 'express';
import { serialize } from 'cookie';
import { OAUTH_BROWSER_COOKIE, OAUTH_STATE_TTL_MS } from './oauth-flow';

/**
 * The cookie binding an OAuth/OIDC sign-in to the browser that started it, as /sso/authorize sets it; the dashboard's
 * Test sign-in of an OIDC connection gets it with the mutation's answer (same origin as /sso/oauth/callback).
 */
export function writeOAuthBrowserCookie(res: Response, browserId: string, publicUrl: string): void {
  const secure = publicUrl.startsWith('https:');
  res.append('Set-Cookie', serialize(OAUTH_BROWSER_COOKIE, browserId, { httpOnly: true, secure, sameSite: secure ? 'none' : 'lax', path: '/sso/oauth', maxAge: OAUTH_STATE_TTL_MS / 1000 }));
}
