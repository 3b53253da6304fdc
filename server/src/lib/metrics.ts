import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Portico's Prometheus metrics: one registry, every name starting with `portico_`. Counting is always on (an
 * increment is a few nanoseconds); `/metrics` serves the registry only when PORTICO_METRICS=true.
 *
 * Labels must stay bounded: route families, status codes, outcomes, enum values (environment kind, dashboard
 * error, directory type). Never an ID, an email, a path or anything a caller chooses. A module adding its own
 * metrics (the webhook queue, say) registers them here with `registers: [metricsRegistry]` and a `portico_` name.
 */
export const metricsRegistry = new Registry();
const registers = [metricsRegistry];

const RECORDING = new Set<PropertyKey>(['inc', 'dec', 'set', 'observe', 'startTimer']);

/** Runs `fn`, and any function it returns (startTimer's stop), without ever throwing. */
function quietly<F extends (...args: never[]) => unknown>(fn: F): F {
  return ((...args: Parameters<F>) => {
    try {
      const result = fn(...args);
      return typeof result === 'function' ? quietly(result as F) : result;
    } catch {
      return undefined;
    }
  }) as F;
}

/**
 * Counting never breaks a request. prom-client walks label objects with for…in, so a polluted Object.prototype
 * (what /health exists to report) makes every observation throw — in a `finish` handler that would be an uncaught
 * exception taking the process down. A metric whose recording fails is skipped instead.
 */
function guarded<M extends object>(metric: M): M {
  // Each recording method is wrapped once: on the ACS path a bind and a closure per call were measurable garbage.
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(metric, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || !RECORDING.has(property)) return value;
      let recording = wrapped.get(property);
      if (recording === undefined) wrapped.set(property, (recording = quietly(value.bind(target))));
      return recording;
    },
  });
}

export const httpRequests = guarded(new Counter({
  name: 'portico_http_requests_total',
  help: 'HTTP requests answered, by route family, method and status code',
  labelNames: ['family', 'method', 'status'] as const,
  registers,
}));

export const httpRequestSeconds = guarded(new Histogram({
  name: 'portico_http_request_duration_seconds',
  help: 'Time from request to response, by route family',
  labelNames: ['family'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers,
}));

export const graphqlOperations = guarded(new Counter({
  name: 'portico_graphql_operations_total',
  help: 'GraphQL operations, by operation type and outcome (ok, or the first error code)',
  labelNames: ['type', 'outcome'] as const,
  registers,
}));

export const signInAttempts = guarded(new Counter({
  name: 'portico_sign_in_attempts_total',
  help: 'SAML responses received at ACS, by environment kind, outcome and the dashboard error of a failure',
  labelNames: ['environment', 'outcome', 'error'] as const,
  registers,
}));

export const acsValidationSeconds = guarded(new Histogram({
  name: 'portico_acs_validation_duration_seconds',
  help: 'Time to validate a SAML response (signature, conditions, decryption), queue wait included',
  labelNames: ['result'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers,
}));

export const acsWriteQueue = guarded(new Gauge({
  name: 'portico_acs_write_queue_depth',
  help: 'Sign-ins validated and waiting for one of the write slots (ACS_WRITE_SLOTS)',
  registers,
}));

export const acsContextReads = guarded(new Counter({
  name: 'portico_acs_context_reads_total',
  help: 'Connection contexts an ACS request used, by source: cache, database (not cached), stale (a cached one found changed and read again)',
  labelNames: ['source'] as const,
  registers,
}));

export const validationPoolShed = guarded(new Counter({
  name: 'portico_validation_pool_shed_total',
  help: 'SAML validations turned away because every worker was busy and the queue was full (answered 503)',
  registers,
}));

export const scimRequests = guarded(new Counter({
  name: 'portico_scim_requests_total',
  help: 'SCIM requests, by method, status code and directory type',
  labelNames: ['method', 'status', 'directory_type'] as const,
  registers,
}));

export const dbQuerySeconds = guarded(new Histogram({
  name: 'portico_db_query_duration_seconds',
  help: 'Time of each successful SQL statement, as TypeORM measures it (pool wait excluded)',
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers,
}));

export const dbQueryErrors = guarded(new Counter({
  name: 'portico_db_query_errors_total',
  help: 'SQL statements the database refused or that failed in flight (constraint violations included)',
  registers,
}));

/** Reads a gauge's value when Prometheus scrapes, from whatever is registered then (a pool, a queue). */
function sampled(name: string, help: string, labelNames: readonly string[] = []) {
  const sources = new Set<(set: (labels: Record<string, string>, value: number) => void) => void>();
  new Gauge({
    name, help, labelNames, registers,
    collect() {
      this.reset();
      for (const read of sources) read((labels, value) => this.set(labels, value));
    },
  });
  return (read: (set: (labels: Record<string, string>, value: number) => void) => void) => {
    sources.add(read);
    return () => void sources.delete(read);
  };
}

/** Registers a validation pool's queue length; returns the unregister function. */
export const observeValidationQueue = sampled('portico_validation_pool_queue_depth', 'SAML validations waiting for a worker thread');

/** Registers a pg pool's counts (`total`, `idle`, `waiting` clients); returns the unregister function. */
export const observeDbPool = sampled('portico_db_pool_clients', 'Database pool clients by state: total open, idle, and requests waiting for one', ['state']);

export const webhookDeliveries = guarded(new Counter({
  name: 'portico_webhook_deliveries_total',
  help: 'Webhook delivery attempts, by outcome: delivered (2xx), retrying (refused or timed out, tried again later), failed (last attempt refused: the endpoint turns failing)',
  labelNames: ['outcome'] as const,
  registers,
}));

export const webhookDeliverySeconds = guarded(new Histogram({
  name: 'portico_webhook_delivery_latency_seconds',
  help: 'From the event being written to its delivery being acknowledged (2xx), retries included',
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
  registers,
}));

/**
 * The job queue's backlog when Prometheus scrapes (jobs waiting, retrying or running, per queue), read from the
 * database by whatever registered (the running JobQueue); answers nothing while none is registered.
 */
let readBacklog: (() => Promise<Array<{ queue: string; state: string; jobs: number }>>) | null = null;
new Gauge({
  name: 'portico_queue_jobs',
  help: 'Jobs in the PostgreSQL job queue by queue (housekeeping, webhook-delivery, notification) and state (created, retry, active)',
  labelNames: ['queue', 'state'],
  registers,
  async collect() {
    this.reset();
    if (!readBacklog) return;
    try {
      for (const row of await readBacklog()) this.set({ queue: row.queue, state: row.state }, row.jobs);
    } catch {
      // A scrape during a database outage answers the other metrics.
    }
  },
});

/** Registers the queue backlog reader; returns the unregister function. */
export function observeQueueBacklog(read: NonNullable<typeof readBacklog>): () => void {
  readBacklog = read;
  return () => { if (readBacklog === read) readBacklog = null; };
}

let defaultsOn = false;

/** Process metrics (CPU, memory, handles, GC) and event-loop lag, as `portico_process_*` / `portico_nodejs_*`. */
export function collectProcessMetrics(): void {
  if (defaultsOn) return;
  defaultsOn = true;
  collectDefaultMetrics({ register: metricsRegistry, prefix: 'portico_', eventLoopMonitoringPrecision: 20 });
}
