import 'reflect-metadata';
import { loadConfig } from './config';
import { logger, setLogLevel } from './lib/logger';
import { startPortico } from './server';

async function main(): Promise<void> {
  const config = loadConfig();
  setLogLevel(config.logLevel);
  const portico = await startPortico(config);
  const lines = [
    '',
    `  Portico is running at ${config.publicUrl}/dashboard`,
    `  Database: ${portico.database.kind === 'embedded' ? `embedded (${config.dataDir})` : 'PostgreSQL (DATABASE_URL)'}`,
  ];
  if (portico.demo) {
    lines.push(`  Demo sign-in: ${portico.demo.email} / ${portico.demo.password ?? '(password shown on first start only)'}`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
  logger.info('listening', { port: portico.port, database: portico.database.kind });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    portico.stop().then(
      () => process.exit(0),
      (err) => {
        logger.error('unclean stop', { error: String(err) });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`Portico could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  if (process.env.LOG_LEVEL === 'debug') process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
