import { signInAttempts } from '../../lib/metrics';
import type { FlowOutcome } from './sso-flow';
import type { SsoSessionEntity } from './sso-session.entity';

/**
 * Counts one ACS post by how it ended: `authorized`, `failed` (with the dashboard's error, or `server_error`),
 * `busy` (the validation pool shed it), `already_answered` (a second post for a session), or `rejected` before
 * any session (unknown connection, no SAMLResponse). Labels are enums only: never the session, user or email.
 */
export function recordSignInAttempt(environmentKind: string | null, session: SsoSessionEntity | null, outcome: FlowOutcome): void {
  const environment = environmentKind?.toLowerCase() ?? 'unknown';
  let result: string;
  let error = 'none';
  if (!session) result = 'rejected';
  else if (session.state === 'AUTHORIZED' && outcome.kind === 'redirect') result = 'authorized';
  else if (session.state === 'FAILED') {
    result = 'failed';
    error = session.error?.toLowerCase() ?? 'server_error';
  } else if (outcome.kind === 'error_page' && outcome.status === 503) result = 'busy';
  else result = 'already_answered';
  signInAttempts.inc({ environment, outcome: result, error });
}
