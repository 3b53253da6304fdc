import 'reflect-metadata';
import './lib/tracing-start';
import { loadConfig, type Config } from './config';
import { logger, setLogLevel } from './lib/logger';
import { startPortico, type RunningPortico } from './server';

// SIGHUP too: a closed terminal or a supervisor's hang-up would otherwise kill the process without closing
// the database or releasing the data folder.
const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
// Below Docker's 10 s stop grace (plus the drain time asked for), so a stuck stop still ends in our own exit
// rather than a SIGKILL. Give the container PORTICO_DRAIN_SECONDS more grace than that (`stop_grace_period`).
const STOP_DEADLINE_MS = 8_000;

let portico: RunningPortico | null = null;
let config: Config | null = null;
let stopRequested = false;

function stopAndExit(running: RunningPortico, drainSeconds: number): void {
  const deadlineMs = STOP_DEADLINE_MS + drainSeconds * 1000;
  setTimeout(() => {
    logger.error('stop took too long; exiting anyway', { deadlineMs });
    process.exit(1);
  }, deadlineMs).unref();
  running.stop().then(
    () => process.exit(0),
    (err) => {
      logger.error('unclean stop', { error: String(err) });
      process.exit(1);
    },
  );
}

// Handlers go in before start: a signal during migrations lets them finish (killing PGlite mid-write is a
// crash), then stops cleanly; the supervisor's own kill timeout bounds a start that never ends.
// A repeated signal (a terminal's Ctrl-C reaches both npm's wrapper and this process) changes nothing.
function onStopSignal(signal: string): void {
  if (stopRequested) return;
  stopRequested = true;
  logger.info('stopping', { signal });
  if (portico && config) stopAndExit(portico, config.drainSeconds);
}

async function main(): Promise<void> {
  for (const signal of STOP_SIGNALS) process.on(signal, () => onStopSignal(signal));
  config = loadConfig();
  setLogLevel(config.logLevel);
  portico = await startPortico(config);
  if (stopRequested) return stopAndExit(portico, config.drainSeconds);
  const lines = [
    '',
    `  Portico is running at ${config.publicUrl}/dashboard`,
    `  Database: ${portico.database.kind === 'embedded' ? `embedded (${config.dataDir})` : 'PostgreSQL (DATABASE_URL)'}`,
  ];
  if (!config.smtpUrl) lines.push('  Email: no SMTP_URL, so emails wait in the dashboard\'s dev outbox and sign-up links are printed here');
  if (portico.demo) {
    lines.push(`  Demo sign-in: ${portico.demo.email} / ${portico.demo.password ?? '(password shown on first start only)'}`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
  logger.info('listening', { port: portico.port, database: portico.database.kind });
}

main().catch((err) => {
  process.stderr.write(`Portico could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  if (process.env.LOG_LEVEL === 'debug') process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
