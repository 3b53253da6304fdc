import { useEffect, useRef, useState, type FormEvent } from 'react';
import { CopyButton } from '../components/copy-button';
import { Field } from '../components/field';
import { portalApi, usePortalQuery, type DomainCheck, type PortalDomain, type PortalError } from './api';
import { Loading } from './portal-app';
import { usePortal } from './portal-context';
import { Finish } from './sso-setup-page';
import { BusyButton } from '../components/busy-button';

const STATE_BADGES: Record<PortalDomain['state'], { label: string; tone: string }> = {
  pending: { label: 'Waiting for the record', tone: 'badge-warning' },
  failed: { label: 'Not verified yet', tone: 'badge-danger' },
  verified: { label: 'Verified', tone: 'badge-success' },
};

function AddDomain({ onAdded }: { onAdded: (domains: PortalDomain[], added: PortalDomain) => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const res = await portalApi<{ domain: PortalDomain; domains: PortalDomain[] }>('POST', '/domains', { domain: value });
      setValue('');
      onAdded(res.domains, res.domain);
    } catch (err) {
      const e2 = err as PortalError;
      setError(e2.fields.domain ?? e2.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="stack" onSubmit={submit} noValidate>
      <Field label="Domain" value={value} onChange={(e) => setValue(e.target.value)} placeholder="example.com" autoComplete="off" spellCheck={false} inputMode="url"
        hint="The part after the @ in your employees’ email addresses." error={error ?? undefined} />
      <div><BusyButton type="submit" className="btn btn-primary" busy={busy} busyLabel="Adding…">Add domain</BusyButton></div>
    </form>
  );
}

function Record({ domain }: { domain: PortalDomain }) {
  const record = domain.record!;
  const host = record.name.slice(0, -(domain.domain.length + 1));
  return (
    <div className="stack">
      <p>At your DNS provider (where <strong>{domain.domain}</strong> is managed), create this record:</p>
      <dl className="kv portal-record">
        <dt>Type</dt><dd className="mono">TXT</dd>
        <dt>Name (host)</dt>
        <dd><div className="copy-row"><code>{record.name}</code><CopyButton value={record.name} label={`record name for ${domain.domain}`} /></div>
          <span className="portal-record-hint">Some providers add the domain themselves: then enter only <code>{host}</code>.</span></dd>
        <dt>Value</dt>
        <dd><div className="copy-row"><code>{record.value}</code><CopyButton value={record.value} label={`record value for ${domain.domain}`} /></div></dd>
      </dl>
      <p className="subtle">New records usually appear within minutes, but DNS can take up to a few hours.</p>
    </div>
  );
}

function CheckResult({ check }: { check: DomainCheck }) {
  if (check.result === 'verified') return <div className="alert alert-success" role="status"><div><strong>{check.domain.domain} is verified.</strong></div></div>;
  return (
    <div className="alert alert-danger" role="alert">
      <div>
        <strong>{check.result === 'lookup_failed' ? 'The look-up failed.' : check.result === 'token_mismatch' ? 'The record has the wrong value.' : 'The record was not found.'}</strong> {check.message}
        {check.received.length > 0 && <div className="portal-received">Found: {check.received.map((v) => <code key={v}>{v}</code>)}</div>}
      </div>
    </div>
  );
}

function DomainCard({ domain, onChecked }: { domain: PortalDomain; onChecked: (check: DomainCheck) => void }) {
  const [busy, setBusy] = useState(false);
  const [check, setCheck] = useState<DomainCheck | null>(null);
  const [error, setError] = useState<string | null>(null);
  const badge = STATE_BADGES[domain.state];
  const titleId = `domain-${domain.id}`;
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await portalApi<DomainCheck>('POST', `/domains/${encodeURIComponent(domain.id)}/check`, {});
      setCheck(result);
      onChecked(result);
    } catch (err) {
      setError((err as PortalError).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby={titleId}>
      <div className="card-body stack">
        <h2 id={titleId} className="portal-domain-title"><span className="mono">{domain.domain}</span> <span className={`badge ${badge.tone}`}>{badge.label}</span></h2>
        {domain.state !== 'verified' && domain.record && <Record domain={domain} />}
        {check && <CheckResult check={check} />}
        {error && <div className="alert alert-danger" role="alert">{error}</div>}
        {/* Not `disabled` while checking: a disabled button drops the keyboard focus to the page's start. */}
        {domain.state !== 'verified' && (
          <div><BusyButton className="btn btn-primary" busy={busy} busyLabel="Checking…" onClick={run}>{domain.state === 'failed' || check ? 'Check again' : 'Check the record'}</BusyButton></div>
        )}
      </div>
    </section>
  );
}

/** Shown when a check has just verified a domain; it takes the focus (the "Check again" button is gone). */
function Completed({ successUrl }: { successUrl: string | null }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="stack">
      <div className="alert alert-success" role="status" tabIndex={-1} ref={ref}><div><strong>Domain verification is complete.</strong> {successUrl ? 'Continue to go back to the app.' : 'You can close this page.'}</div></div>
      {successUrl && <div><a className="btn btn-primary" href={successUrl}>Continue</a></div>}
    </div>
  );
}

/** Domain verification: add a domain → create its TXT record → check (again) → verified completes the setup. */
export function DomainVerificationPage() {
  const ctx = usePortal();
  const query = usePortalQuery<{ domains: PortalDomain[] }>('/domains');
  const [completed, setCompleted] = useState(false);
  if (query.loading && !query.data) return <Loading label="Loading your domains…" />;
  if (!query.data) return <div className="alert alert-danger" role="alert">{query.error?.message} <button type="button" className="btn btn-sm" onClick={query.reload}>Try again</button></div>;
  const { domains } = query.data;
  const replace = (d: PortalDomain) => query.setData({ domains: domains.map((x) => (x.id === d.id ? d : x)) });
  const verified = domains.filter((d) => d.state === 'verified');
  const open = domains.filter((d) => d.state !== 'verified');
  return (
    <div className="stack portal-steps">
      <p className="muted">Verifying a domain proves your organization owns it, so people with email addresses there can be recognised as yours. You add one DNS record; nothing else changes.</p>
      {verified.length > 0 && (
        <section className="card" aria-labelledby="done-title">
          <div className="card-body stack">
            <h2 id="done-title">Verified domains</h2>
            <ul className="portal-domains">{verified.map((d) => <li key={d.id}><span className="mono">{d.domain}</span> <span className="badge badge-success">Verified</span></li>)}</ul>
            {completed ? <Completed successUrl={ctx.successUrl} /> : <Finish />}
          </div>
        </section>
      )}
      {open.map((d) => <DomainCard key={d.id} domain={d} onChecked={(c) => { if (c.completed) setCompleted(true); replace(c.domain); }} />)}
      <section className="card" aria-labelledby="add-title">
        <div className="card-body stack">
          <h2 id="add-title">{domains.length ? 'Add another domain' : 'Add your domain'}</h2>
          <AddDomain onAdded={(all) => query.setData({ domains: all })} />
        </div>
      </section>
    </div>
  );
}
