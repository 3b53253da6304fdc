import { formatDateTime } from '../../lib/format';

/** One step of a sign-in's timeline: done, pending or failed, with when it happened (null while it waits). */
export interface TimelineStep {
  label: string;
  at: string | null;
  tone: 'done' | 'pending' | 'failed';
  note?: string;
}

/** A session's timeline as Session Details shows it, SAML or OAuth alike. */
export function TimelineSteps({ steps }: { steps: TimelineStep[] }) {
  return (
    <ol className="timeline">
      {steps.map((step) => (
        <li key={step.label} className={step.tone}>
          <span><strong>{step.label}</strong>{step.note && <span className="subtle" style={{ display: 'block' }}>{step.note}</span>}</span>
          <span className="muted">{step.at ? formatDateTime(step.at) : ''}</span>
        </li>
      ))}
    </ol>
  );
}
