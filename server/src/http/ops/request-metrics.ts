import type { NextFunction, Request, Response } from 'express';
import { httpRequests, httpRequestSeconds } from '../../lib/metrics';

const FAMILIES: [RegExp, string][] = [
  [/^\/graphql(\/|$)/, 'graphql'],
  [/^\/dashboard(\/|$)/, 'dashboard'],
  [/^\/sso(\/|$)/, 'sso'],
  [/^\/scim(\/|$)/, 'scim'],
  [/^\/portal(\/|$)/, 'portal'],
  [/^\/(health|ready|metrics)\/?$/, 'ops'],
  [/^\/(organizations|organization_domains|connections|directories|directory_users|directory_groups|events|user_management|audit_logs|widgets|compliance|webhook_endpoints|webhooks?)(\/|$)/, 'rest'],
];
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The route family of a path: a fixed set, so a scanner walking random URLs adds no label values. */
export function routeFamily(path: string): string {
  for (const [pattern, family] of FAMILIES) if (pattern.test(path)) return family;
  return 'other';
}

/** Counts every response in `portico_http_requests_total` (family, method, status) and times it. */
export function requestMetrics(req: Request, res: Response, next: NextFunction): void {
  const family = routeFamily(req.path);
  const stop = httpRequestSeconds.startTimer({ family });
  res.once('finish', () => {
    stop();
    httpRequests.inc({ family, method: METHODS.has(req.method) ? req.method : 'OTHER', status: String(res.statusCode) });
  });
  next();
}
