import type { Request } from 'express';

/** The token of an `Authorization: Bearer …` header, or null when there is none. */
export function readBearerToken(req: Request): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  return match ? match[1]! : null;
}
