import PgBoss from 'pg-boss';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { Pool } from 'pg';
import { whileUnreachable } from '../../db/unreachable';
import { logger } from '../../lib/logger';
import { observeQueueBacklog } from '../../lib/metrics';

/**
 * Portico's job queue: pg-boss in its own `pgboss` schema of Portico's database, driven through Portico's own
 * connection pool (the embedded engine has exactly one connection, and pg-boss must not open more). Jobs are
 * claimed with `FOR UPDATE SKIP LOCKED`, so any number of Portico processes share the work and no job runs in
 * two of them at once; a job whose process dies is failed by expiry and retried.
 */
export const QUEUE_SCHEMA = 'pgboss';

export type QueueName = 'housekeeping' | 'webhook-delivery' | 'notification';

/** Every queue and its policy. `stately`: at most one job waiting and one running, whatever the process count. */
const QUEUES: Record<QueueName, PgBoss.Queue> = {
  housekeeping: { name: 'housekeeping', policy: 'stately', retryLimit: 0, expireInSeconds: 15 * 60 },
  notification: { name: 'notification', policy: 'standard', retryLimit: 3, retryDelay: 30, retryBackoff: true, expireInSeconds: 120 },
  'webhook-delivery': { name: 'webhook-delivery', policy: 'standard', expireInSeconds: 30, retentionMinutes: 3 * 24 * 60 + 60 },
};
const QUEUE_NAMES = new Set<string>(Object.keys(QUEUES));

export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
}

/** pg-boss's `db` option over the DataSource's own pg pool. */
export function poolExecutor(db: DataSource): SqlExecutor {
  const pool = (db.driver as unknown as { master: Pool }).master;
  return { executeSql: (text, values) => pool.query(text, values as unknown[]) as Promise<{ rows: any[] }> };
}

// pg-boss 10 writes a job's outcome without awaiting it (manager.js: `this.complete(…)` / `this.fail(…)` once the
// handler settles), so a failed write is an unhandled rejection, which ends the process: a PostgreSQL restart at that
// moment took Portico down (timgit/pg-boss#577). Those two statements wait for the database instead (the outcome is
// known, only its record is left) and never reject; if the database stays away longer, the job expires and runs again.
const plans = require('pg-boss/src/plans') as { completeJobs(schema: string): string; failJobsById(schema: string): string };
const OUTCOME_STATEMENTS = new Set([plans.completeJobs(QUEUE_SCHEMA), plans.failJobsById(QUEUE_SCHEMA)]);
const OUTCOME_DEADLINE_MS = 10 * 60_000;

/** `inner`, with pg-boss's unawaited outcome writes retried while the database is unreachable (see above). */
function outcomeWritesWait(inner: SqlExecutor, stopped: () => boolean): SqlExecutor {
  return {
    async executeSql(text, values) {
      if (!OUTCOME_STATEMENTS.has(text)) return inner.executeSql(text, values);
      let warned = false;
      try {
        return await whileUnreachable(() => inner.executeSql(text, values), {
          deadlineMs: OUTCOME_DEADLINE_MS, gaveUp: stopped,
          onRetry: (err) => {
            if (!warned) logger.warn('job queue: database unreachable; recording a job outcome when it is back', { error: String((err as Error)?.message ?? err) });
            warned = true;
          },
        });
      } catch (err) {
        logger.error('job queue: could not record a job outcome; the job will run again after it expires', { error: String((err as Error)?.message ?? err) });
        return { rows: [{ count: '0' }] };
      }
    },
  };
}

/** pg-boss's `db` option over one TypeORM connection. */
export function runnerExecutor(runner: QueryRunner): SqlExecutor {
  return { executeSql: async (text, values) => ({ rows: (await runner.query(text, values as unknown[], true)).records ?? [] }) };
}

/** pg-boss's `db` option over a TypeORM transaction: the job is inserted, or not, with the caller's change. */
export function transactionExecutor(manager: EntityManager): SqlExecutor {
  if (!manager.queryRunner?.isTransactionActive) throw new Error('transactionExecutor needs a manager inside a transaction');
  return runnerExecutor(manager.queryRunner);
}

// Builds pg-boss's SQL only: every call through it passes `{ db }`, so it never touches a connection itself.
const sender = new PgBoss({ db: { executeSql: () => Promise.reject(new Error('pass { db } to send')) }, schema: QUEUE_SCHEMA });

/** Enqueues jobs in the caller's transaction (no job without the change that caused it, and the reverse). */
export async function enqueueInTransaction(manager: EntityManager, name: QueueName, jobs: Array<{ data: object; options?: PgBoss.SendOptions }>): Promise<void> {
  if (!jobs.length) return;
  await sender.insert(jobs.map((j) => ({ name, data: j.data, ...mapInsertOptions(j.options) })), { db: transactionExecutor(manager) });
}

function mapInsertOptions(o: PgBoss.SendOptions = {}): Partial<PgBoss.JobInsert> {
  return { startAfter: o.startAfter as Date | undefined, retryLimit: o.retryLimit, retryDelay: o.retryDelay, retryBackoff: o.retryBackoff, expireInSeconds: o.expireInSeconds, singletonKey: o.singletonKey };
}

/**
 * Installs (or upgrades) pg-boss's schema and Portico's queues; part of `migrate`, on its connection (the
 * embedded engine's pool has one), so every start has them.
 */
export async function installJobQueue(runner: QueryRunner): Promise<void> {
  const boss = new PgBoss({ db: runnerExecutor(runner), schema: QUEUE_SCHEMA, supervise: false, schedule: false });
  await boss.start();
  for (const queue of Object.values(QUEUES)) {
    if (!(await boss.getQueue(queue.name))) await boss.createQueue(queue.name, queue);
    else await boss.updateQueue(queue.name, queue);
  }
  await boss.stop({ graceful: false, close: false, wait: true });
}

export type JobHandler = (jobs: Array<PgBoss.Job<any>>, queue: JobQueue) => Promise<void>;

export interface WorkerSpec {
  name: QueueName;
  handler: JobHandler;
  /** Parallel polling loops in this process. */
  workers?: number;
  batchSize?: number;
  pollingIntervalSeconds?: number;
  /** Jobs carry retryCount/retryLimit (a handler that must know its last attempt). */
  includeMetadata?: boolean;
}

/** A started pg-boss bound to Portico's pool, with its workers; `stop` lets running jobs finish. */
export class JobQueue {
  readonly boss: PgBoss;
  private readonly stopObserving: () => void;
  private stopping = false;

  constructor(private readonly db: DataSource) {
    // Maintenance (expiring jobs whose process died, archiving) runs in one process at a time: pg-boss locks it.
    this.boss = new PgBoss({ db: outcomeWritesWait(poolExecutor(db), () => this.stopping), schema: QUEUE_SCHEMA, schedule: false, maintenanceIntervalSeconds: 10 });
    this.boss.on('error', (err) => logger.warn('job queue error', { error: String((err as Error)?.message ?? err) }));
    // Queue names are Portico's own (a fixed list) and states pg-boss's: the labels stay bounded.
    this.stopObserving = observeQueueBacklog(async () => {
      const rows: Array<{ queue: string; state: string; jobs: number }> = await this.db.query(
        `SELECT name AS queue, state::text AS state, count(*)::int AS jobs FROM ${QUEUE_SCHEMA}.job WHERE state IN ('created', 'retry', 'active') GROUP BY name, state`,
      );
      return rows.filter((r) => QUEUE_NAMES.has(r.queue));
    });
  }

  async start(specs: WorkerSpec[]): Promise<void> {
    await this.boss.start();
    for (const spec of specs) {
      for (let i = 0; i < (spec.workers ?? 1); i++) {
        await this.boss.work(spec.name, { batchSize: spec.batchSize ?? 1, pollingIntervalSeconds: spec.pollingIntervalSeconds ?? 2, includeMetadata: spec.includeMetadata ?? false }, (jobs: Array<PgBoss.Job<any>>) => spec.handler(jobs, this));
      }
    }
  }

  /** Fails one job of a batch (it retries by its own policy) while the rest of the batch completes. */
  async failJob(name: QueueName, id: string, error: Error): Promise<void> {
    await this.boss.fail(name, id, { message: error.message });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.stopObserving?.();
    await this.boss.stop({ graceful: true, close: false, wait: true, timeout: 15_000 });
  }
}
