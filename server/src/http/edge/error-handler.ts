import type { NextFunction, Request, Response } from 'express';
import { logger } from '../../lib/logger';
import { problemFromError } from './http-problem';
import { sendProblem } from './send-problem';

/**
 * The last error handler of the app and of each router: Express's own would print the stack whenever NODE_ENV is not
 * `production` (as under `npm start`), so it must never be reached. 4xx keep their meaning; the rest is logged here.
 */
export function edgeErrorHandler(err: unknown, req: Request, res: Response, _next: NextFunction): void {
  if (res.headersSent) {
    // Mid-stream (a download that failed): nothing valid can follow, so end the connection as Express would.
    logger.error('response failed after headers were sent', { method: req.method, path: req.baseUrl + req.path, error: err instanceof Error ? err.stack : String(err) });
    req.socket.destroy();
    return;
  }
  sendProblem(req, res, problemFromError(err, req));
}
