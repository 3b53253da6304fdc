import { parse, serialize } from 'cookie';
import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'portico_session';

export function readSessionCookie(req: Request): string | undefined {
  const header = req.headers.cookie;
  return header ? parse(header)[SESSION_COOKIE] : undefined;
}

/** HttpOnly (no script reads it), SameSite=Lax (no cross-site POSTs carry it), Secure behind https. */
export function writeSessionCookie(res: Response, token: string, expires: Date, secure: boolean): void {
  res.append('Set-Cookie', serialize(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/', expires }));
}

export function clearSessionCookie(res: Response, secure: boolean): void {
  res.append('Set-Cookie', serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure, path: '/', expires: new Date(0) }));
}
