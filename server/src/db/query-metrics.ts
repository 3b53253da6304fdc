import { EventSubscriber, type DataSource, type EntitySubscriberInterface } from 'typeorm';
import type { AfterQueryEvent } from 'typeorm/subscriber/event/QueryEvent';
import { dbQueryErrors, dbQuerySeconds, observeDbPool } from '../lib/metrics';

/** Times every SQL statement TypeORM sends (its own measurement, in whole ms) into `portico_db_query_duration_seconds`. */
@EventSubscriber()
export class QueryMetricsSubscriber implements EntitySubscriberInterface {
  afterQuery(event: AfterQueryEvent<unknown>): void {
    if (!event.success) dbQueryErrors.inc();
    else if (event.executionTime !== undefined) dbQuerySeconds.observe(event.executionTime / 1000);
  }
}

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** Reports the data source's pg pool (open, idle, waiting) when metrics are scraped; returns the unregister function. */
export function observePoolOf(dataSource: DataSource): () => void {
  return observeDbPool((set) => {
    const pool = (dataSource.driver as unknown as { master?: PgPool }).master;
    if (!pool) return;
    set({ state: 'total' }, pool.totalCount);
    set({ state: 'idle' }, pool.idleCount);
    set({ state: 'waiting' }, pool.waitingCount);
  });
}
