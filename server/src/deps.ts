import type { DataSource } from 'typeorm';
import type { Config } from './config';
import type { AppDeps } from './context';
import { observePoolOf } from './db/query-metrics';
import { createSamlValidator } from './modules/sso-sessions/validation-pool';
import { resolveSecretKey, SecretBox } from './lib/secret-box';
import { createMailer } from './modules/email/mailer';

/** The long-lived services a Portico process shares across requests; `close` stops the SAML worker threads. */
export function createDeps(db: DataSource, config: Config): AppDeps & { close(): Promise<void> } {
  const saml = createSamlValidator(config.samlWorkers, { nice: config.samlWorkerNice });
  const unobservePool = observePoolOf(db);
  return {
    db,
    config,
    mailer: createMailer(db, { smtpUrl: config.smtpUrl, from: config.mailFrom }),
    secrets: new SecretBox(resolveSecretKey(config.secretKey, config.dataDir)),
    saml,
    close: () => {
      unobservePool();
      return saml.close();
    },
  };
}
