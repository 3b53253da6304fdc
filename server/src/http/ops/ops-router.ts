import { createHash, timingSafeEqual } from 'node:crypto';
import express from 'express';
import type { AppDeps } from '../../context';
import type { DatabaseKind } from '../../db/database';
import { logger } from '../../lib/logger';
import { collectProcessMetrics, metricsRegistry } from '../../lib/metrics';
import { pollutedPrototypeKeys } from '../../lib/process-health';
import { readBearerToken } from '../bearer';
import type { Lifecycle } from './lifecycle';

const READY_CHECK_TIMEOUT_MS = 2_000;

/** Compares digests, so neither the token's content nor its length shows in the time taken. */
function tokenMatches(given: string | null, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return given !== null && timingSafeEqual(digest(given), digest(expected));
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return Promise.race([work, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);
}

/**
 * Liveness: this process answers and can go on serving. Not the database: when PostgreSQL restarts, every replica
 * would fail a liveness probe at once and be restarted for nothing (the pool reconnects by itself); `/ready` takes
 * them out of the load balancer meanwhile. Also answered while the process starts (server.ts), so a slow migration
 * is not taken for a hung process. A polluted built-in prototype fails it: such a process must be replaced.
 */
export function liveness(databaseKind: DatabaseKind): { status: 200 | 503; body: Record<string, string> } {
  const polluted = pollutedPrototypeKeys();
  if (polluted.length) {
    logger.error('built-in prototypes carry unexpected keys; this process must be restarted', { keys: polluted.slice(0, 10) });
    return { status: 503, body: { status: 'unhealthy', database: databaseKind, reason: 'prototype_polluted' } };
  }
  return { status: 200, body: { status: 'ok', database: databaseKind } };
}

/**
 * `/health` (liveness: is this process alive, see `liveness`), `/ready` (may a load balancer send it traffic: started,
 * database answering, migrations applied, validation pool alive, not stopping) and `/metrics` (Prometheus, when
 * PORTICO_METRICS=true; PORTICO_METRICS_TOKEN makes it require that bearer token).
 */
export function opsRouter(deps: AppDeps & { databaseKind: DatabaseKind; lifecycle?: Lifecycle }): express.Router {
  const router = express.Router();
  const noStore = (res: express.Response) => res.set('Cache-Control', 'no-store');

  router.get('/health', (_req, res) => {
    const { status, body } = liveness(deps.databaseKind);
    noStore(res);
    res.status(status).json(body);
  });

  router.get('/ready', async (_req, res) => {
    noStore(res);
    const phase = deps.lifecycle?.phase ?? 'ready';
    if (phase !== 'ready') {
      res.status(503).set('Retry-After', '1').json({ status: phase });
      return;
    }
    const checks = { database: false, migrations: false, validationPool: deps.saml.alive() };
    try {
      await withTimeout(deps.db.query('SELECT 1'), READY_CHECK_TIMEOUT_MS);
      checks.database = true;
      checks.migrations = !(await withTimeout(deps.db.showMigrations(), READY_CHECK_TIMEOUT_MS));
    } catch (err) {
      logger.warn('readiness check failed', { error: String(err) });
    }
    const ready = checks.database && checks.migrations && checks.validationPool && pollutedPrototypeKeys().length === 0;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks });
  });

  if (deps.config.metricsEnabled) {
    collectProcessMetrics();
    const token = deps.config.metricsToken;
    router.get('/metrics', async (req, res) => {
      noStore(res);
      if (token !== undefined && !tokenMatches(readBearerToken(req), token)) {
        res.status(401).set('WWW-Authenticate', 'Bearer realm="Portico metrics"').json({ error: 'unauthorized', message: 'This endpoint requires the metrics bearer token (PORTICO_METRICS_TOKEN)' });
        return;
      }
      res.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
    });
  }
  return router;
}
