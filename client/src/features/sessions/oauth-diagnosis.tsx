import { SAML_ERROR_LABELS } from '../connections/badges';
import { OAuthFailureDetails } from './diagnosis';
import { REASONS } from './reasons';

type Details = Record<string, unknown>;

/** Who fixes each kind: the provider set-up is the developer's; a declined consent or another browser is the user's. */
function fixerOf(reason: string | null | undefined, error: string | null | undefined) {
  if (reason === 'consent_denied' || reason === 'state_not_bound_to_browser' || reason === 'email_not_verified') return 'The user (start again, or act at the provider).';
  if (error === 'PROFILE_NOT_ALLOWED_OUTSIDE_ORGANIZATION') return 'Your team (the organization’s domains).';
  return 'Your team, in Configuration → OAuth providers and the provider’s console.';
}

/** The diagnosis of a failed OAuth/OIDC attempt: the precise reason, its kind, how to fix it and the evidence. */
export function OAuthDiagnosis({ session }: { session: { error?: string | null; errorReason?: string | null; errorMessage?: string | null; errorDetails?: unknown } }) {
  const reason = session.errorReason ? REASONS[session.errorReason] : undefined;
  return (
    <section className="card" aria-labelledby="diagnosis-title">
      <div className="card-header">
        <div>
          <h2 id="diagnosis-title">{reason?.title ?? 'Sign-in failed'}</h2>
          <p>{[session.error ? SAML_ERROR_LABELS[session.error] : null, session.errorMessage !== reason?.title ? session.errorMessage : null].filter(Boolean).join(' · ')}</p>
        </div>
      </div>
      <div className="card-body stack">
        <div className="alert alert-info"><div><strong>How to fix it.</strong> {reason?.fix ?? 'See the details below.'}<div className="subtle">Who: {fixerOf(session.errorReason, session.error)}</div></div></div>
        <OAuthFailureDetails details={(session.errorDetails ?? {}) as Details} />
      </div>
    </section>
  );
}
