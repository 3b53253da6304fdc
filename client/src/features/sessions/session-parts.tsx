import type { ReactNode } from 'react';
import { CopyButton } from '../../components/copy-button';
import { SessionStateBadge } from '../connections/badges';

/** A Session Details page's heading: what happened, the state badge, and the session ID to copy. */
export function SessionHeading({ title, session }: { title: string; session: { id: string; state: string; timedOut: boolean } }) {
  return (
    <div className="page-header">
      <div>
        <h1 className="person">{title} <SessionStateBadge state={session.state} timedOut={session.timedOut} /></h1>
        <p className="copy-row"><code data-testid="session-id">{session.id}</code><CopyButton value={session.id} label="session ID" /></p>
      </div>
    </div>
  );
}

/** The User card (`rows`: its <dt>/<dd> pairs) beside the Timeline card. */
export function SessionSummary({ rows, timeline }: { rows: ReactNode; timeline: ReactNode }) {
  return (
    <div className="grid-2">
      <section className="card" aria-labelledby="user-title">
        <div className="card-header"><h2 id="user-title">User</h2></div>
        <dl className="card-body kv" style={{ gridTemplateColumns: '110px 1fr' }}>{rows}</dl>
      </section>
      <section className="card" aria-labelledby="timeline-title">
        <div className="card-header"><h2 id="timeline-title">Timeline</h2></div>
        <div className="card-body">{timeline}</div>
      </section>
    </div>
  );
}
