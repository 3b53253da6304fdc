import { useState, type FormEvent } from 'react';
import { portalApi, usePortalQuery, type PortalError, type SsoSetup } from './api';
import { Loading } from './portal-app';
import { BusyButton } from '../components/busy-button';

const date = (iso: string) => new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' });

/** Certificate renewal: the IdP's next signing certificate goes in beside the current one; both are accepted. */
export function CertificateRenewalPage() {
  const setup = usePortalQuery<SsoSetup>('/sso');
  const [pem, setPem] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  if (setup.loading && !setup.data) return <Loading label="Loading your certificates…" />;
  if (!setup.data) return <div className="alert alert-danger" role="alert">{setup.error?.message}</div>;
  const connection = setup.data.connection;
  if (!connection) return <div className="alert alert-info" role="status">Your organization has no single sign-on connection yet, so there is no certificate to renew.</div>;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setFieldError(null);
    setSaved(false);
    try {
      setup.setData(await portalApi<SsoSetup>('POST', '/sso/certificates', { certificate: pem }));
      setPem('');
      setSaved(true);
    } catch (err) {
      const e2 = err as PortalError;
      setFieldError(e2.fields.certificate ?? Object.values(e2.fields)[0] ?? e2.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="stack">
      <section className="card" aria-labelledby="certs-title">
        <div className="card-body stack">
          <h2 id="certs-title">Certificates Portico accepts</h2>
          <p className="muted">During a rollover both are accepted, so nobody is locked out while your identity provider switches.</p>
          <div className="table-wrap">
            <table className="table">
              <thead><tr><th scope="col">Certificate</th><th scope="col">Valid until</th><th scope="col">Used by sign-ins (30 days)</th></tr></thead>
              <tbody>
                {connection.certificates.map((c) => (
                  <tr key={c.fingerprintSha256}>
                    <td><span className="mono portal-fp">{c.subject}<br />{c.fingerprintSha256.slice(0, 29)}…</span></td>
                    <td>{date(c.validTo)}{new Date(c.validTo).getTime() < Date.now() && <span className="badge badge-danger">Expired</span>}</td>
                    <td>{c.signInsLast30Days ? `${c.signInsLast30Days}, last ${date(c.lastUsedAt!)}` : 'None'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </section>
      <section className="card" aria-labelledby="next-title">
        <form className="card-body stack" onSubmit={submit} noValidate>
          <h2 id="next-title">Add the new certificate</h2>
          <div className="field">
            <label htmlFor="next-cert">New signing certificate (X.509, PEM)</label>
            <textarea id="next-cert" className="textarea" value={pem} onChange={(e) => setPem(e.target.value)} placeholder="-----BEGIN CERTIFICATE-----" aria-invalid={fieldError ? true : undefined} aria-describedby={fieldError ? 'next-cert-error' : undefined} />
            {fieldError && <span id="next-cert-error" className="error">{fieldError}</span>}
          </div>
          {saved && <div className="alert alert-success" role="status">Added. Portico accepts both certificates; switch your identity provider to the new one when you are ready.</div>}
          <div><BusyButton type="submit" className="btn btn-primary" busy={busy} busyLabel="Checking…">Add certificate</BusyButton></div>
        </form>
      </section>
    </div>
  );
}
