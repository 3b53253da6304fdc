import { SamlErrorKindLabels } from '../../gql/enum-labels';

const CONNECTION_STATES: Record<string, { label: string; tone: string; hint: string }> = {
  DRAFT: { label: 'Draft', tone: '', hint: 'The identity provider is not configured yet' },
  VALIDATING: { label: 'Validating', tone: 'badge-warning', hint: 'Configured; active after the first successful sign-in' },
  ACTIVE: { label: 'Active', tone: 'badge-success', hint: 'Users sign in through this connection' },
  INACTIVE: { label: 'Inactive', tone: 'badge-danger', hint: 'Turned off: sign-ins are refused' },
};

export function ConnectionStateBadge({ state }: { state: string }) {
  const s = CONNECTION_STATES[state] ?? { label: state, tone: '', hint: '' };
  return <span className={`badge ${s.tone}`} title={s.hint}>{s.label}</span>;
}

const SESSION_STATES: Record<string, { label: string; tone: string }> = {
  STARTED: { label: 'Started', tone: '' },
  AUTHORIZED: { label: 'Authorized', tone: 'badge-info' },
  SUCCESSFUL: { label: 'Successful', tone: 'badge-success' },
  FAILED: { label: 'Failed', tone: 'badge-danger' },
};

export function SessionStateBadge({ state, timedOut }: { state: string; timedOut?: boolean }) {
  if (timedOut) return <span className="badge badge-warning">Timed out</span>;
  const s = SESSION_STATES[state] ?? { label: state, tone: '' };
  return <span className={`badge ${s.tone}`}>{s.label}</span>;
}

/** The five SAML errors' labels, generated from the schema's SamlErrorKind descriptions (codegen-enum-labels.cjs). */
export const SAML_ERROR_LABELS: Record<string, string> = Object.fromEntries(Object.entries(SamlErrorKindLabels).map(([kind, { label }]) => [kind, label]));
