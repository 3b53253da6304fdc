import { useState, type FormEvent } from 'react';
import { CopyButton } from '../components/copy-button';
import { Field } from '../components/field';
import { portalApi, usePortalQuery, type IdpKey, type PortalError, type SsoSetup } from './api';
import { IDP_GUIDES, IDP_ORDER, providerName } from './idp-guides';
import { Loading } from './portal-app';
import { usePortal } from './portal-context';
import { BusyButton } from '../components/busy-button';

type Connection = NonNullable<SsoSetup['connection']>;

const FIELD_ORDER = ['idpId', 'email', 'firstName', 'lastName', 'groups'];

const STATE_BADGES: Record<Connection['state'], { label: string; tone: string }> = {
  draft: { label: 'Not configured yet', tone: '' },
  validating: { label: 'Waiting for a successful test', tone: 'badge-warning' },
  active: { label: 'Active', tone: 'badge-success' },
  inactive: { label: 'Turned off', tone: 'badge-danger' },
};

export function Step({ n, title, done, children, id }: { n: number; title: string; done?: boolean; children: React.ReactNode; id: string }) {
  return (
    <section className="card portal-step" aria-labelledby={id}>
      <div className="card-body stack">
        <h2 id={id} className="portal-step-title"><span className={`portal-step-n${done ? ' done' : ''}`} aria-hidden="true">{done ? '✓' : n}</span>{title}{done && <span className="visually-hidden"> (done)</span>}</h2>
        {children}
      </div>
    </section>
  );
}

function ChooseIdp({ current, locked, onChosen }: { current: IdpKey | null; locked: boolean; onChosen: (s: SsoSetup) => void }) {
  const [busy, setBusy] = useState<IdpKey | null>(null);
  const [error, setError] = useState<string | null>(null);
  const choose = async (idp: IdpKey) => {
    setBusy(idp);
    setError(null);
    try {
      onChosen(await portalApi<SsoSetup>('POST', '/sso/idp', { idp }));
    } catch (e) {
      setError((e as PortalError).message);
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      <p className="muted">Which identity provider do your employees sign in with?</p>
      <div className="portal-idps" role="group" aria-label="Identity provider">
        {IDP_ORDER.map((idp) => (
          <BusyButton key={idp} className="portal-idp" aria-pressed={current === idp} disabled={locked} busy={busy !== null} onClick={() => choose(idp)}>
            {IDP_GUIDES[idp].name}{busy === idp && <span className="visually-hidden"> (saving)</span>}
          </BusyButton>
        ))}
      </div>
      {error && <div className="alert alert-danger" role="alert">{error}</div>}
    </>
  );
}

export function CopyValue({ label, value }: { label: string; value: string }) {
  return (
    <div className="portal-copy">
      <span className="label">{label}</span>
      <div className="copy-row"><code>{value}</code><CopyButton value={value} label={label} /></div>
    </div>
  );
}

function ConfigureInIdp({ connection }: { connection: Connection }) {
  const guide = IDP_GUIDES[connection.idp];
  if (connection.oidc) {
    return (
      <ol className="portal-list">
        {guide.create.map((s) => <li key={s}>{s}</li>)}
        <li>
          Add this sign-in redirect URI to the application:
          <div className="stack portal-values"><CopyValue label={guide.acsLabel} value={connection.oidc.redirectUri} /></div>
        </li>
        <li>{guide.attributes}</li>
        <li>{guide.assign}</li>
      </ol>
    );
  }
  return (
    <ol className="portal-list">
      {guide.create.map((s) => <li key={s}>{s}</li>)}
      <li>
        Enter these values:
        <div className="stack portal-values">
          <CopyValue label={guide.acsLabel} value={connection.sp.acsUrl} />
          <CopyValue label={guide.entityIdLabel} value={connection.sp.spEntityId} />
          <CopyValue label="SP metadata URL (if your provider can import it)" value={connection.sp.metadataUrl} />
        </div>
      </li>
      <li>
        {guide.attributes}
        <div className="table-wrap portal-attrs">
          <table className="table">
            <caption className="visually-hidden">Attribute statements to send</caption>
            <thead><tr><th scope="col">Profile field</th><th scope="col">Attribute name</th></tr></thead>
            <tbody>
              {[...connection.attributeStatements].sort((x, y) => FIELD_ORDER.indexOf(x.field) - FIELD_ORDER.indexOf(y.field)).map((a) => (
                <tr key={a.field}>
                  <td>{{ idpId: 'User ID', email: 'Email', firstName: 'First name', lastName: 'Last name', groups: 'Groups (optional)' }[a.field] ?? a.field}</td>
                  <td className="mono">{a.names.length ? a.names[0] : 'NameID'}{a.names.length > 1 && <span className="subtle"> (or {a.names.slice(1).join(', ')})</span>}{a.nameId && a.names.length > 0 && <span className="subtle"> (or the NameID)</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </li>
      <li>{guide.assign}</li>
    </ol>
  );
}

type Source = 'file' | 'url' | 'manual';

/** OpenID Connect: discovery URL (or issuer), client ID, and the client secret, write-only once saved. */
function OidcDetails({ connection, onSaved }: { connection: Connection & { oidc: NonNullable<Connection['oidc']> }; onSaved: (s: SsoSetup) => void }) {
  const { oidc } = connection;
  const guide = IDP_GUIDES[connection.idp];
  const [form, setForm] = useState({ discoveryUrl: oidc.discoveryUrl ?? oidc.issuer ?? '', clientId: oidc.clientId ?? '', clientSecret: '' });
  const [replacing, setReplacing] = useState(!oidc.clientSecretSet);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    setFields({});
    setSaved(false);
    try {
      const body = { discoveryUrl: form.discoveryUrl, clientId: form.clientId, ...(replacing && form.clientSecret ? { clientSecret: form.clientSecret } : {}) };
      onSaved(await portalApi<SsoSetup>('PUT', '/sso/idp-details', body));
      setForm((f) => ({ ...f, clientSecret: '' }));
      setReplacing(false);
      setSaved(true);
    } catch (err) {
      const e2 = err as PortalError;
      // The discovery document's own endpoints (discoveryUrl.issuer …) are about the discovery URL the admin typed.
      setFields(Object.fromEntries(Object.entries(e2.fields).map(([k, v]) => [k.split('.')[0]!, v])));
      if (!Object.keys(e2.fields).length) setError(e2.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="stack" onSubmit={submit} noValidate>
      <p className="muted">{guide.metadata}</p>
      <Field label="Discovery URL or issuer" type="url" inputMode="url" value={form.discoveryUrl} onChange={set('discoveryUrl')} placeholder={guide.placeholder ?? 'https://idp.example.com/.well-known/openid-configuration'} hint="Portico reads your provider’s endpoints and signing keys from it." error={fields.discoveryUrl ?? fields.issuer} autoComplete="off" />
      <Field label="Client ID" value={form.clientId} onChange={set('clientId')} error={fields.clientId} autoComplete="off" spellCheck={false} />
      {replacing ? (
        <Field label="Client secret" type="password" value={form.clientSecret} onChange={set('clientSecret')} error={fields.clientSecret} autoComplete="new-password"
          hint={oidc.clientSecretSet ? 'Leave it empty to keep the secret already saved.' : 'Stored encrypted; it is never shown again.'} />
      ) : (
        <div className="field" role="group" aria-labelledby="client-secret-label">
          <span className="label" id="client-secret-label">Client secret</span>
          <p className="portal-secret-set"><span className="badge badge-success">Set</span> <span className="subtle">Stored encrypted; it is never shown again.</span> <button type="button" className="btn btn-sm" onClick={() => { setReplacing(true); setSaved(false); }}>Replace secret</button></p>
        </div>
      )}
      {error && <div className="alert alert-danger" role="alert">{error}</div>}
      {saved && <div className="alert alert-success" role="status">Saved. The connection now trusts {connection.oidc.issuer ?? 'your identity provider'}.</div>}
      <div><BusyButton className="btn btn-primary" type="submit" busy={busy} busyLabel="Checking…">Save and check</BusyButton></div>
    </form>
  );
}

function IdpDetails({ connection, onSaved }: { connection: Connection; onSaved: (s: SsoSetup) => void }) {
  const guide = IDP_GUIDES[connection.idp];
  const [source, setSource] = useState<Source>(connection.idpMetadataUrl ? 'url' : 'file');
  const [form, setForm] = useState({ metadataXml: '', metadataUrl: connection.idpMetadataUrl ?? '', idpSsoUrl: connection.idpSsoUrl ?? '', idpEntityId: connection.idpEntityId ?? '', certificate: '' });
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const readFile = async (file: File | undefined) => {
    if (!file) return;
    setForm((f) => ({ ...f, metadataXml: '' }));
    if (file.size > 1_000_000) return setFields({ metadataXml: 'This file is larger than 1 MB: it is not a SAML metadata file.' });
    const text = await file.text();
    setForm((f) => ({ ...f, metadataXml: text }));
    setFields({});
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    setFields({});
    setSaved(false);
    const body = source === 'file' ? { metadataXml: form.metadataXml } : source === 'url' ? { metadataUrl: form.metadataUrl } : { idpSsoUrl: form.idpSsoUrl, idpEntityId: form.idpEntityId, certificate: form.certificate };
    try {
      onSaved(await portalApi<SsoSetup>('PUT', '/sso/idp-details', body));
      setSaved(true);
    } catch (err) {
      const e2 = err as PortalError;
      setFields(e2.fields);
      if (!Object.keys(e2.fields).length) setError(e2.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="stack" onSubmit={submit} noValidate>
      <p className="muted">{guide.metadata}</p>
      <div className="segmented" role="group" aria-label="How to provide the details">
        {([['file', 'Metadata file'], ['url', 'Metadata URL'], ['manual', 'Enter manually']] as const).map(([key, label]) => (
          <button key={key} type="button" aria-pressed={source === key} onClick={() => { setSource(key); setFields({}); setError(null); }}>{label}</button>
        ))}
      </div>
      {source === 'file' && (
        <div className="field">
          <label htmlFor="metadata-file">Metadata file (.xml)</label>
          <input id="metadata-file" type="file" accept=".xml,application/xml,text/xml,application/samlmetadata+xml" className="input" aria-invalid={fields.metadataXml ? true : undefined} aria-describedby={fields.metadataXml ? 'metadata-file-error' : 'metadata-file-hint'} onChange={(e) => readFile(e.target.files?.[0])} />
          {fields.metadataXml ? <span id="metadata-file-error" className="error">{fields.metadataXml}</span> : <span id="metadata-file-hint" className="hint">{form.metadataXml ? 'File read — save to check it.' : 'The XML file your identity provider exports.'}</span>}
        </div>
      )}
      {source === 'url' && <Field label="Metadata URL" type="url" inputMode="url" value={form.metadataUrl} onChange={set('metadataUrl')} placeholder="https://…" hint="Portico fetches it now and again every day, so certificate changes are picked up." error={fields.metadataUrl} />}
      {source === 'manual' && (
        <>
          <Field label="SSO URL (sign-on URL)" type="url" value={form.idpSsoUrl} onChange={set('idpSsoUrl')} placeholder="https://…" error={fields.idpSsoUrl} />
          <Field label="Entity ID (issuer)" value={form.idpEntityId} onChange={set('idpEntityId')} error={fields.idpEntityId} />
          <div className="field">
            <label htmlFor="certificate">Signing certificate (X.509, PEM)</label>
            <textarea id="certificate" className="textarea" value={form.certificate} onChange={set('certificate')} placeholder="-----BEGIN CERTIFICATE-----" aria-invalid={fields.certificate || fields['idpCertificates[0]'] ? true : undefined} aria-describedby={fields.certificate || fields['idpCertificates[0]'] ? 'certificate-error' : undefined} />
            {(fields.certificate || fields['idpCertificates[0]']) && <span id="certificate-error" className="error">{fields.certificate ?? fields['idpCertificates[0]']}</span>}
          </div>
        </>
      )}
      {error && <div className="alert alert-danger" role="alert">{error}</div>}
      {saved && <div className="alert alert-success" role="status">Saved. The connection now trusts {connection.idpEntityId ?? 'your identity provider'}.</div>}
      <div><BusyButton className="btn btn-primary" type="submit" busy={busy} busyLabel="Checking…">Save and check</BusyButton></div>
    </form>
  );
}

function TestSignIn({ connection }: { connection: Connection }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ready = connection.state === 'validating' || connection.state === 'active';
  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const { location } = await portalApi<{ location: string }>('POST', '/sso/test', {});
      window.location.assign(location);
    } catch (e) {
      setError((e as PortalError).message);
      setBusy(false);
    }
  };
  return (
    <>
      <p className="muted">Sign in through {providerName(connection.idp)} as one of the people you assigned. You come back here to see what Portico received. The connection turns on with the first successful test.</p>
      {!ready && <p className="subtle">Save your identity provider’s details first.</p>}
      {error && <div className="alert alert-danger" role="alert">{error}</div>}
      <div><BusyButton className="btn btn-primary" disabled={!ready} busy={busy} busyLabel="Opening your identity provider…" onClick={start}>Test sign-in</BusyButton></div>
    </>
  );
}

export function Finish() {
  const ctx = usePortal();
  const [state, setState] = useState<{ busy: boolean; error: string | null; done: boolean }>({ busy: false, error: null, done: false });
  const finish = async () => {
    setState({ busy: true, error: null, done: false });
    try {
      const { redirectUrl } = await portalApi<{ redirectUrl: string | null }>('POST', '/complete', {});
      if (redirectUrl) window.location.assign(redirectUrl);
      else setState({ busy: false, error: null, done: true });
    } catch (e) {
      setState({ busy: false, error: (e as PortalError).message, done: false });
    }
  };
  if (state.done) return <div className="alert alert-success" role="status">Setup is complete. You can close this page{ctx.returnUrl ? ' or return to the app' : ''}.</div>;
  return (
    <>
      {state.error && <div className="alert alert-danger" role="alert">{state.error}</div>}
      <div><BusyButton className="btn btn-primary" busy={state.busy} busyLabel="Finishing…" onClick={finish}>Finish setup</BusyButton></div>
    </>
  );
}

/** The SSO intent: choose the IdP → its steps with Portico's values → the IdP's details → test sign-in → finish. */
export function SsoSetupPage() {
  const setup = usePortalQuery<SsoSetup>('/sso');
  if (setup.loading && !setup.data) return <Loading label="Loading your setup…" />;
  if (setup.error && !setup.data) return <div className="alert alert-danger" role="alert">{setup.error.message} <button type="button" className="btn btn-sm" onClick={setup.reload}>Try again</button></div>;
  const connection = setup.data!.connection;
  const badge = connection ? STATE_BADGES[connection.state] : null;
  return (
    <div className="stack portal-steps">
      {badge && <p className="portal-status">Connection status: <span className={`badge ${badge.tone}`}>{badge.label}</span></p>}
      <Step n={1} id="step-idp" title="Choose your identity provider" done={Boolean(connection)}>
        <ChooseIdp current={connection?.idp ?? null} locked={connection?.state === 'active'} onChosen={setup.setData} />
        {connection?.state === 'active' && <p className="subtle">The connection is active; switching provider is done by the application team.</p>}
      </Step>
      {connection && (
        <>
          <Step n={2} id="step-create" title={`Create the application in ${providerName(connection.idp)}`}>
            <ConfigureInIdp connection={connection} />
          </Step>
          <Step n={3} id="step-details" title={`Bring back ${providerName(connection.idp)}’s details`} done={connection.state !== 'draft'}>
            {connection.oidc ? <OidcDetails key={connection.id} connection={{ ...connection, oidc: connection.oidc }} onSaved={setup.setData} /> : <IdpDetails key={connection.id} connection={connection} onSaved={setup.setData} />}
          </Step>
          <Step n={4} id="step-test" title="Test sign-in" done={connection.state === 'active'}>
            <TestSignIn connection={connection} />
          </Step>
          {connection.state === 'active' && (
            <Step n={5} id="step-finish" title="Finish">
              <p className="muted">Single sign-on works. Finish to tell the application team and go back to the app.</p>
              <Finish />
            </Step>
          )}
        </>
      )}
    </div>
  );
}
