import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { portalApi, usePortalQuery, type PortalError, type TestSignIn } from './api';
import { Loading } from './portal-app';
import { usePortal } from './portal-context';
import { REASONS } from '../features/sessions/reasons';
import { Finish } from './sso-setup-page';
import { BusyButton } from '../components/busy-button';

const ERROR_LABELS: Record<string, string> = {
  INVALID_ATTRIBUTES: 'Invalid Attributes', INVALID_X509_CERTIFICATE: 'Invalid X509 Certificate', MALFORMED_SAML_RESPONSE: 'Malformed SAML Response',
  PROFILE_NOT_ALLOWED_OUTSIDE_ORGANIZATION: 'Profile Not Allowed Outside Organization', DECRYPTION_FAILED: 'Decryption Failed',
};
const FIELD_LABELS: Record<string, string> = { idpId: 'User ID', email: 'Email', firstName: 'First name', lastName: 'Last name', groups: 'Groups' };

/**
 * The fix said for the customer's IT admin, who works in their identity provider and in this portal, not in Portico's
 * dashboard: where a dashboard reason's fix names the connection page or its settings, the portal says it this way.
 * `{place}` is where this portal takes the certificate: step 3 of the setup, or the renewal page's form.
 */
const PORTAL_FIXES: Record<string, string> = {
  certificate_mismatch: 'Your identity provider signed the response with another certificate than the one saved {place}. Download its current metadata (or signing certificate), upload it {place}, then test again.',
  certificate_expired: 'Your identity provider’s signing certificate has expired. Create a new signing certificate in your identity provider, upload it {place}, then test again.',
  missing_attributes: 'In your identity provider, add an attribute statement for each attribute listed as missing below, named exactly as shown, then test again.',
  invalid_attribute_value: 'In your identity provider, map the email attribute to the user’s email address, then test again.',
  domain_not_allowed: 'Test with a user whose email address is at one of your organization’s domains, listed below. If this domain is your organization’s too, ask the app’s support to add it to your organization.',
  not_yet_valid: 'Your identity provider’s clock is ahead of the correct time. Sync the identity provider server’s clock with an internet time source (NTP), then test again.',
  expired: 'The response arrived after its validity window: your identity provider’s clock is behind, or its page waited too long before sending you back. Sync the identity provider server’s clock (NTP), then test again.',
};
/** How the expected and received values read, per reason: said as what they are rather than “Expected” and “Received”. */
const VALUE_LABELS: Record<string, [string, string]> = {
  certificate_mismatch: ['Certificate saved {place}', 'Certificate that signed the response'],
  domain_not_allowed: ['Your organization’s domains', 'This user’s email domain'],
  not_yet_valid: ['The assertion is valid', 'Portico’s clock read'],
  expired: ['The assertion is valid', 'Portico’s clock read'],
};

const show = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** The attributes as the identity provider sent them (names and values), like Session Details shows them. */
function ReceivedAttributes({ attributes, oidc = false }: { attributes: Record<string, unknown>; oidc?: boolean }) {
  const entries = Object.entries(attributes);
  return (
    <div className="table-wrap">
      <table className="table portal-attributes">
        <caption className="portal-caption">{oidc ? 'Claims in your identity provider’s ID token' : 'Attributes your identity provider sent'}</caption>
        <thead><tr><th scope="col">{oidc ? 'Claim' : 'Attribute'}</th><th scope="col">Value</th></tr></thead>
        <tbody>
          {entries.length ? entries.map(([k, v]) => <tr key={k}><td className="mono">{k}</td><td className="mono">{show(v)}</td></tr>) : <tr><td colSpan={2} className="subtle">None: the assertion carried only a NameID.</td></tr>}
        </tbody>
      </table>
    </div>
  );
}

/** The admin-facing diagnosis: the same reason and fix as Session Details, with what was expected and received. */
function Diagnosis({ test, renewal }: { test: TestSignIn; renewal: boolean }) {
  const place = (text: string) => text.replaceAll('{place}', renewal ? 'under “Add the new certificate”' : 'in step 3');
  const reason = test.errorReason ? REASONS[test.errorReason] : undefined;
  const d = test.errorDetails ?? {};
  const missing = (d.missing as string[] | undefined) ?? [];
  const received = d.receivedAttributes as Record<string, unknown> | undefined;
  const cert = d.receivedCertificate as { fingerprintSha256?: string; subject?: string } | undefined;
  const mapping = (d.mapping ?? {}) as Record<string, string[] | undefined>;
  const [expectedLabel, receivedLabel] = ((test.errorReason && VALUE_LABELS[test.errorReason]) || ['Expected', 'Received']).map(place);
  const hasValues = test.errorReason !== 'missing_attributes' && ((d.expected !== undefined && d.expected !== null) || (d.received !== undefined && d.received !== null));
  return (
    <div className="stack">
      <div className="alert alert-danger" role="alert">
        <strong>{test.error ? ERROR_LABELS[test.error] ?? test.error : 'Sign-in failed'}: {reason?.title ?? test.errorMessage}</strong>
      </div>
      <div>
        <h3>How to fix it</h3>
        <p>{(test.errorReason && PORTAL_FIXES[test.errorReason] ? place(PORTAL_FIXES[test.errorReason]!) : reason?.fix) ?? 'Check your identity provider’s settings against the steps, then test again.'}</p>
      </div>
      {test.errorMessage && <p className="muted">{test.errorMessage}</p>}
      {missing.length > 0 && (
        <div>
          <h3 id="missing-title">Missing attributes</h3>
          <ul aria-labelledby="missing-title">
            {missing.map((m) => <li key={m}>{FIELD_LABELS[m] ?? m}{mapping[m]?.length ? <>: an attribute named {mapping[m]!.map((name, i) => <span key={name}>{i ? ' or ' : ''}<code className="mono">{name}</code></span>)}</> : null}</li>)}
          </ul>
        </div>
      )}
      {hasValues ? (
        <dl className="kv">
          {d.expected !== undefined && d.expected !== null && <><dt>{expectedLabel}</dt><dd className="mono">{show(d.expected)}</dd></>}
          {d.received !== undefined && d.received !== null && <><dt>{receivedLabel}</dt><dd className="mono"><span className="mismatch">{show(d.received)}</span></dd></>}
          {/* The signing certificate's subject beside its fingerprint: what the admin recognises in the IdP. */}
          {cert?.subject && d.received === cert.fingerprintSha256 && <><dt>Its subject</dt><dd className="mono">{cert.subject}</dd></>}
        </dl>
      ) : null}
      {cert?.fingerprintSha256 && !(hasValues && d.received === cert.fingerprintSha256) && <dl className="kv"><dt>Certificate in the response</dt><dd className="mono">{cert.subject ? `${cert.subject} · ` : ''}{cert.fingerprintSha256}</dd></dl>}
      {received && <ReceivedAttributes attributes={received} />}
    </div>
  );
}

/** Starts a new test sign-in straight away: Portico sends the admin to the identity provider again. */
function TryAgain() {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const start = async () => {
    setState({ busy: true, error: null });
    try {
      const { location } = await portalApi<{ location: string }>('POST', '/sso/test', {});
      window.location.assign(location);
    } catch (e) {
      setState({ busy: false, error: (e as PortalError).message });
    }
  };
  return (
    <>
      <BusyButton className="btn btn-primary" busy={state.busy} busyLabel="Opening your identity provider…" onClick={start}>Try again</BusyButton>
      {state.error && <div className="alert alert-danger" role="alert">{state.error}</div>}
    </>
  );
}

function Profile({ test }: { test: TestSignIn }) {
  const p = test.profile!;
  return (
    <div className="stack">
      <div className="alert alert-success" role="status"><div><strong>Test sign-in succeeded.</strong> {test.connectionState === 'active' ? 'Single sign-on is now active for your organization.' : ''}</div></div>
      <p className="muted">This is the profile the application receives when {p.first_name || p.email} signs in:</p>
      <dl className="kv">
        <dt>Email</dt><dd>{p.email}</dd>
        <dt>First name</dt><dd>{show(p.first_name)}</dd>
        <dt>Last name</dt><dd>{show(p.last_name)}</dd>
        <dt>User ID (from your provider)</dt><dd className="mono">{p.idp_id}</dd>
        <dt>Groups</dt><dd>{p.groups.length ? p.groups.join(', ') : <span className="subtle">None sent (optional)</span>}</dd>
      </dl>
      <ReceivedAttributes attributes={p.raw_attributes ?? {}} oidc={/OIDC$/.test(p.connection_type ?? '')} />
    </div>
  );
}

/** Where a test sign-in ends: the profile, or the failure with its diagnosis, and what to do next. */
export function TestResultPage() {
  const { id } = useParams();
  const ctx = usePortal();
  const test = usePortalQuery<TestSignIn>(`/sso/tests/${encodeURIComponent(id ?? '')}`);
  const back = ctx.intent === 'certificate_renewal' ? '/certificate-renewal' : '/sso';
  if (test.loading && !test.data) return <Loading label="Loading the test result…" />;
  if (!test.data) return <div className="alert alert-danger" role="alert">{test.error?.status === 404 ? 'This test sign-in was not found.' : test.error?.message} <Link to={back}>Back to setup</Link></div>;
  const t = test.data;
  return (
    <section className="card" aria-labelledby="result-title">
      <div className="card-body stack">
        <h2 id="result-title">Test sign-in result</h2>
        {t.state === 'SUCCESSFUL' || t.state === 'AUTHORIZED' ? <Profile test={t} /> : t.state === 'FAILED' ? <Diagnosis test={t} renewal={ctx.intent === 'certificate_renewal'} /> : <div className="alert alert-info" role="status">Portico is still waiting for your identity provider’s answer. If you closed its page, test again.</div>}
        <div className="portal-actions">
          {t.state !== 'SUCCESSFUL' && t.state !== 'AUTHORIZED' && <TryAgain />}
          <Link className="btn" to={back}>{t.state === 'FAILED' ? 'Back to the steps' : 'Back to setup'}</Link>
          {ctx.intent === 'sso' && t.connectionState === 'active' && <Finish />}
        </div>
      </div>
    </section>
  );
}
