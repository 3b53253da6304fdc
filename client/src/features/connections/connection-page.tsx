import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from '@apollo/client/react';
import { useConfirm } from '../../components/confirm-dialog';
import { CopyButton } from '../../components/copy-button';
import { Dialog } from '../../components/dialog';
import { ErrorState, FormError, Loading } from '../../components/states';
import { useToast } from '../../components/toast';
import type { ConnectionDetailsQuery } from '../../gql/graphql';
import { readError } from '../../lib/errors';
import { formatDate, formatDateTime } from '../../lib/format';
import {
  ConnectionQuery, connectionTypeLabel, DeleteSsoConnectionMutation, UpdateOidcConnectionMutation, GenerateSpKeyMutation, PromoteSpKeyMutation, RemoveSpKeyMutation, SetSsoConnectionEnabledMutation, UpdateSsoConnectionMutation,
} from './api';
import { ConnectionStateBadge } from './badges';
import { TabLinks } from '../../components/tabs';
import { SessionsTab } from '../sessions/sessions-tab';
import { emptyIdpConfig, IdpConfigForm, idpConfigInput } from './idp-config-form';
import { emptyOidcConfig, OidcConfigForm, oidcConfigInput } from './oidc-config-form';

type Conn = ConnectionDetailsQuery['connection'];

/** When successful sign-ins last used a certificate (last 30 days), for the rollover: is the IdP on the new one yet? */
function LastUsed({ c, fingerprint, role }: { c: Conn; fingerprint: string; role: 'IDP_SIGNING' | 'SP_ENCRYPTION' }) {
  const use = c.certificateUsage.find((u) => u.fingerprintSha256 === fingerprint && u.role === role);
  return (
    <div className="subtle" data-testid={`last-used-${role}`}>
      {use ? <>Last used {formatDateTime(use.lastUsedAt)} · {use.signIns.toLocaleString('en-US')} sign-in{use.signIns === 1 ? '' : 's'} in 30 days</> : 'Not used by a sign-in in the last 30 days'}
    </div>
  );
}

export function ConnectionPage({ tab = 'overview' }: { tab?: 'overview' | 'sessions' }) {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { data, loading, error, refetch } = useQuery(ConnectionQuery, { variables: { id } });
  const [setEnabled, enabledState] = useMutation(SetSsoConnectionEnabledMutation);
  const [remove, removeState] = useMutation(DeleteSsoConnectionMutation, { refetchQueries: ['Organization'] });
  const confirm = useConfirm();
  const toast = useToast();
  if (loading && !data) return <div className="page"><Loading /></div>;
  if (error && !data) return <div className="page"><ErrorState error={error} onRetry={() => refetch()} /></div>;
  const c = data!.connection;
  const inactive = c.state === 'INACTIVE';

  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/organizations">Organizations</Link><span aria-hidden="true">/</span>
        <Link to={`/organizations/${c.organization.id}`}>{c.organization.name}</Link><span aria-hidden="true">/</span>
        <span aria-current="page">{c.name}</span>
      </nav>
      <div className="page-header">
        <div>
          <h1 className="person">{c.name} <ConnectionStateBadge state={c.state} /></h1>
          <p>{c.oidc ? `${connectionTypeLabel(c.connectionType).replace(/ ?\(?OpenID Connect\)?$/, '')} OpenID Connect connection` : `${connectionTypeLabel(c.connectionType)} SAML connection`} · <span className="mono">{c.id}</span> <CopyButton value={c.id} label="connection ID" /></p>
        </div>
        <div className="copy-row">
          {c.state === 'DRAFT' || inactive
            ? <button className="btn btn-primary" type="button" disabled title={inactive ? 'Turn the connection on to test a sign-in' : 'Add the IdP configuration first'}>Test sign-in</button>
            : <a className="btn btn-primary" href={`/dashboard/test-sign-in/start?connection=${encodeURIComponent(c.id)}`} target="_blank" rel="noopener"
              title="Opens a new tab: an SP-initiated sign-in through this connection’s IdP, ending on a Portico result page">Test sign-in<span className="visually-hidden"> (opens in a new tab)</span></a>}
          <button className="btn" type="button" disabled={enabledState.loading} onClick={async () => {
            if (!inactive && !(await confirm({ title: `Turn off connection ${c.name}?`, body: `Users of ${c.organization.name} can no longer sign in through it until it is turned on again. Its configuration and sign-in history are kept.`, confirmLabel: 'Turn off' }))) return;
            const result = await setEnabled({ variables: { id: c.id, enabled: inactive } }).catch(() => null);
            if (result?.data) toast.success(`Connection ${c.name} turned ${inactive ? 'on' : 'off'}.`);
          }}>
            {inactive ? 'Turn on' : 'Turn off'}
          </button>
          <button className="btn btn-danger" type="button" disabled={removeState.loading} onClick={async () => {
            const ok = await confirm({ title: `Delete connection ${c.name}?`, body: `Users of ${c.organization.name} can no longer sign in through it, and its sign-in history is deleted. This cannot be undone.`, confirmLabel: 'Delete connection' });
            if (!ok) return;
            const result = await remove({ variables: { id: c.id } }).catch(() => null);
            if (!result?.data) return;
            toast.success(`Connection ${c.name} deleted.`);
            navigate(`/organizations/${c.organization.id}`);
          }}>Delete</button>
        </div>
      </div>
      <FormError error={enabledState.error ?? removeState.error} />
      <TabLinks label="Connection" tabs={[{ to: `/connections/${c.id}`, label: 'Overview', end: true }, { to: `/connections/${c.id}/sessions`, label: 'Sessions' }]} />
      {tab === 'sessions' ? <SessionsTab connectionId={c.id} /> : (
        <>
          {c.state === 'DRAFT' && <div className="alert alert-info" role="status">{c.oidc
            ? 'Finish the setup: give the IT admin the redirect URI below, then add the discovery URL, client ID and client secret their identity provider shows.'
            : 'Finish the setup: give the IT admin the values below, then add their identity provider’s metadata.'}</div>}
          {c.oidc ? (
            <>
              <OidcRedirectCard redirectUri={c.oidc.redirectUri} />
              <OidcProviderCard c={c} />
              <AttributeMappingCard c={c} />
            </>
          ) : (
            <>
              <ServiceProviderCard c={c} />
              <IdentityProviderCard c={c} />
              <AttributeMappingCard c={c} />
              <EncryptionCard c={c} />
            </>
          )}
        </>
      )}
    </div>
  );
}

function ServiceProviderCard({ c }: { c: Conn }) {
  const rows: [string, string, string][] = [
    ['ACS URL', c.acsUrl, 'Also called the reply URL or single sign-on URL.'],
    ['SP entity ID', c.spEntityId, 'Also called the audience URI or identifier.'],
    ['SP metadata URL', c.spMetadataUrl, 'Identity providers that read metadata need only this.'],
  ];
  return (
    <section className="card" aria-labelledby="sp-title">
      <div className="card-header">
        <div><h2 id="sp-title">Service provider details</h2><p>Give these to the organization’s IT admin to set up Portico in their identity provider.</p></div>
        <a className="btn" href={`/sso/saml/metadata/${c.id}?download`} download>Download SP metadata</a>
      </div>
      <dl className="card-body kv">
        {rows.map(([label, value, hint]) => (
          <div key={label} style={{ display: 'contents' }}>
            <dt>{label}</dt>
            <dd><span className="copy-row"><code className="mono">{value}</code><CopyButton value={value} label={label} /></span><span className="subtle">{hint}</span></dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function IdentityProviderCard({ c }: { c: Conn }) {
  const [editing, setEditing] = useState(false);
  const [config, setConfig] = useState(emptyIdpConfig());
  const [update, state] = useMutation(UpdateSsoConnectionMutation);
  const [updateOptions, optionsState] = useMutation(UpdateSsoConnectionMutation);
  const toast = useToast();
  const close = () => {
    setEditing(false);
    setConfig(emptyIdpConfig());
    state.reset();
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await update({ variables: { input: { id: c.id, ...idpConfigInput(config) } } }).catch(() => null);
    if (!result?.data) return;
    close();
    toast.success('Identity provider configuration saved.');
  };
  return (
    <section className="card" aria-labelledby="idp-title">
      <div className="card-header">
        <div><h2 id="idp-title">Identity provider</h2><p>What the organization’s identity provider told Portico. Responses must come from this issuer, signed by one of these certificates.</p></div>
        <button className="btn" type="button" onClick={() => setEditing(true)}>{c.idpEntityId ? 'Update configuration' : 'Add configuration'}</button>
      </div>
      <div className="card-body stack">
        <dl className="kv">
          <dt>Entity ID</dt><dd className="mono">{c.idpEntityId ?? <span className="muted">Not set</span>}</dd>
          <dt>SSO URL</dt><dd className="mono">{c.idpSsoUrl ?? <span className="muted">Not set</span>}</dd>
          {c.idpMetadataUrl && <><dt>Metadata URL</dt><dd className="mono">{c.idpMetadataUrl}</dd></>}
          {c.idpMetadataUrl && (
            <><dt>Re-fetched</dt><dd>
              {c.idpMetadataRefreshedAt ? formatDateTime(c.idpMetadataRefreshedAt) : 'Not yet'}
              <span className="subtle" style={{ display: 'block' }}>Daily: a certificate the IdP adds to its metadata is accepted from then on.</span>
              {c.idpMetadataRefreshError && <span className="error" role="status" style={{ display: 'block' }}>Last attempt failed: {c.idpMetadataRefreshError}</span>}
            </dd></>
          )}
        </dl>
        <div>
          <h3 className="label" style={{ fontSize: 13, marginBottom: 8 }}>Signing certificates</h3>
          {!c.certificates.length ? <p className="muted">No certificate yet.</p> : c.certificates.map((cert) => (
            <div className="cert" key={cert.fingerprintSha256}>
              <div className="person"><strong>{cert.subject || '(no subject)'}</strong>{cert.expired ? <span className="badge badge-danger">Expired</span> : <span className="badge badge-success">Valid</span>}</div>
              <div className="subtle">Issued by {cert.issuer || '(no issuer)'} · valid {formatDate(cert.notBefore)} – {formatDate(cert.notAfter)}</div>
              <div className="subtle">SHA-256 fingerprint <span className="mono">{cert.fingerprintSha256}</span></div>
              <LastUsed c={c} fingerprint={cert.fingerprintSha256} role="IDP_SIGNING" />
            </div>
          ))}
        </div>
        <FormError error={optionsState.error} />
        <label className="checkbox-row" style={{ borderBottom: 0, paddingBottom: 0 }}>
          <input type="checkbox" checked={c.idpInitiatedEnabled} disabled={optionsState.loading}
            onChange={(e) => updateOptions({ variables: { input: { id: c.id, idpInitiatedEnabled: e.target.checked } } }).catch(() => null)} />
          <span><strong>Allow IdP-initiated sign-in</strong><span className="subtle" style={{ display: 'block' }}>Users may start from their identity provider’s app launcher; they land on your default redirect URI.</span></span>
        </label>
        <label className="checkbox-row" style={{ borderBottom: 0, paddingBottom: 0 }}>
          <input type="checkbox" checked={c.requireSignedAssertions} disabled={optionsState.loading}
            onChange={(e) => updateOptions({ variables: { input: { id: c.id, requireSignedAssertions: e.target.checked } } }).catch(() => null)} />
          <span><strong>Require signed assertions</strong><span className="subtle" style={{ display: 'block' }}>While off, a signature on the whole response (Shibboleth’s default) is accepted as well as one on the assertion. While on, the assertion itself must be signed, and the SP metadata says so (WantAssertionsSigned).</span></span>
        </label>
      </div>
      <Dialog open={editing} title="Identity provider configuration" description="Replaces the entity ID, SSO URL and certificates." onClose={close}
        footer={<><button className="btn" type="button" onClick={close}>Cancel</button><button className="btn btn-primary" type="submit" form="idp-config" disabled={state.loading}>{state.loading ? 'Saving…' : 'Save'}</button></>}>
        <form id="idp-config" className="form" onSubmit={submit} noValidate>
          <FormError error={state.error} />
          <IdpConfigForm value={config} onChange={setConfig} errors={readError(state.error)?.fields ?? {}} />
        </form>
      </Dialog>
    </section>
  );
}

const MAPPING_FIELDS = [
  { key: 'idpId', label: 'User ID (idp_id)', required: true },
  { key: 'email', label: 'Email', required: true },
  { key: 'firstName', label: 'First name', required: true },
  { key: 'lastName', label: 'Last name', required: true },
  { key: 'groups', label: 'Groups', required: false },
] as const;

function AttributeMappingCard({ c }: { c: Conn }) {
  const toText = () => Object.fromEntries(MAPPING_FIELDS.map((f) => [f.key, c.attributeMapping[f.key].join(', ')])) as Record<(typeof MAPPING_FIELDS)[number]['key'], string>;
  const [values, setValues] = useState(toText);
  const [update, state] = useMutation(UpdateSsoConnectionMutation);
  const [updateOidc, oidcState] = useMutation(UpdateOidcConnectionMutation);
  const toast = useToast();
  const oidc = c.oidc !== null && c.oidc !== undefined;
  const current = oidc ? oidcState : state;
  const fields = readError(current.error)?.fields ?? {};
  const prefix = oidc ? 'claimMapping' : 'attributeMapping';
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const mapping = Object.fromEntries(MAPPING_FIELDS.map((f) => [f.key, values[f.key].split(',').map((s) => s.trim()).filter(Boolean)]));
    const result = oidc
      ? await updateOidc({ variables: { input: { id: c.id, claimMapping: mapping } } }).catch(() => null)
      : await update({ variables: { input: { id: c.id, attributeMapping: mapping } } }).catch(() => null);
    if (result?.data) toast.success(`${oidc ? 'Claim' : 'Attribute'} mapping saved. It applies to the next sign-in.`);
  };
  return (
    <section className="card" aria-labelledby="mapping-title">
      <div className="card-header"><div><h2 id="mapping-title">{oidc ? 'Claim mapping' : 'Attribute mapping'}</h2><p>{oidc
        ? <>Which ID-token claims fill the profile; the first one present wins. The user ID and email are required; names fall back to the <code>name</code> claim. Started from the {connectionTypeLabel(c.mappingPresetConnectionType)} preset.</>
        : <>Which SAML attributes fill the profile; the first one present wins. <code>$NameID</code> is the subject’s NameID. Started from the {connectionTypeLabel(c.mappingPresetConnectionType)} preset.</>}</p></div></div>
      <form className="card-body form" onSubmit={submit} noValidate>
        <FormError error={current.error} />
        <div className="mapping-grid">
          {MAPPING_FIELDS.map((f) => (
            <div key={f.key} style={{ display: 'contents' }}>
              <label htmlFor={`map-${f.key}`}>{f.label}{f.required && !(oidc && (f.key === 'firstName' || f.key === 'lastName')) && <span className="subtle"> · required</span>}</label>
              <div className="field">
                <input id={`map-${f.key}`} className="input mono" value={values[f.key]} onChange={(e) => setValues({ ...values, [f.key]: e.target.value })} aria-invalid={fields[`${prefix}.${f.key}`] || fields[`attributeMapping.${f.key}`] ? true : undefined} />
                {(fields[`${prefix}.${f.key}`] ?? fields[`attributeMapping.${f.key}`]) && <span className="error">{fields[`${prefix}.${f.key}`] ?? fields[`attributeMapping.${f.key}`]}</span>}
              </div>
            </div>
          ))}
        </div>
        <div className="form-actions"><button className="btn btn-primary" type="submit" disabled={current.loading}>{current.loading ? 'Saving…' : 'Save mapping'}</button></div>
      </form>
    </section>
  );
}

/** What the IT admin registers at the IdP: Portico's callback, the same for every OIDC connection. */
function OidcRedirectCard({ redirectUri }: { redirectUri: string }) {
  return (
    <section className="card" aria-labelledby="rp-title">
      <div className="card-header"><div><h2 id="rp-title">Relying party details</h2><p>Give this to the organization’s IT admin: they register Portico as a web application (authorization code flow) in their identity provider.</p></div></div>
      <dl className="card-body kv">
        <dt>Redirect URI</dt>
        <dd><span className="copy-row"><code className="mono">{redirectUri}</code><CopyButton value={redirectUri} label="Redirect URI" /></span><span className="subtle">Also called the sign-in redirect URI or reply URL.</span></dd>
      </dl>
    </section>
  );
}

function OidcProviderCard({ c }: { c: Conn }) {
  const oidc = c.oidc!;
  const [editing, setEditing] = useState(false);
  const initial = () => emptyOidcConfig({ source: oidc.discoveryUrl || !oidc.issuer ? 'discovery' : 'manual', discoveryUrl: oidc.discoveryUrl ?? '', issuer: oidc.issuer ?? '', authorizationEndpoint: oidc.authorizationEndpoint ?? '',
    tokenEndpoint: oidc.tokenEndpoint ?? '', jwksUri: oidc.jwksUri ?? '', clientId: oidc.clientId ?? '', scopes: oidc.scopes.join(' ') });
  const [config, setConfig] = useState(initial);
  const [update, state] = useMutation(UpdateOidcConnectionMutation);
  const toast = useToast();
  const close = () => {
    setEditing(false);
    state.reset();
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await update({ variables: { input: { id: c.id, ...oidcConfigInput(config) } } }).catch(() => null);
    if (!result?.data) return;
    close();
    toast.success('Identity provider configuration saved.');
  };
  const notSet = <span className="muted">Not set</span>;
  return (
    <section className="card" aria-labelledby="idp-title">
      <div className="card-header">
        <div><h2 id="idp-title">Identity provider</h2><p>ID tokens must come from this issuer, for this client ID, signed by a key of the JWKS (rotated keys are picked up).</p></div>
        <button className="btn" type="button" onClick={() => { setConfig(initial()); setEditing(true); }}>{oidc.issuer ? 'Update configuration' : 'Add configuration'}</button>
      </div>
      <dl className="card-body kv">
        {oidc.discoveryUrl && <><dt>Discovery URL</dt><dd className="mono">{oidc.discoveryUrl}</dd></>}
        <dt>Issuer</dt><dd className="mono">{oidc.issuer ?? notSet}</dd>
        <dt>Authorization endpoint</dt><dd className="mono">{oidc.authorizationEndpoint ?? notSet}</dd>
        <dt>Token endpoint</dt><dd className="mono">{oidc.tokenEndpoint ?? notSet}</dd>
        <dt>JWKS URI</dt><dd className="mono">{oidc.jwksUri ?? notSet}</dd>
        <dt>Client ID</dt><dd className="mono">{oidc.clientId ?? notSet}</dd>
        <dt>Client secret</dt><dd>{oidc.clientSecretSet ? <span className="badge badge-success">Set</span> : <span className="badge badge-warning">Not set</span>}<span className="subtle" style={{ display: 'block' }}>Stored encrypted and never shown; replace it with Update configuration.</span></dd>
        <dt>Scopes</dt><dd className="mono">{oidc.scopes.join(' ')}</dd>
      </dl>
      <Dialog open={editing} title="Identity provider configuration" description="Changes the fields you fill in; a blank client secret keeps the stored one." onClose={close}
        footer={<><button className="btn" type="button" onClick={close}>Cancel</button><button className="btn btn-primary" type="submit" form="oidc-config" disabled={state.loading}>{state.loading ? 'Saving…' : 'Save'}</button></>}>
        <form id="oidc-config" className="form" onSubmit={submit} noValidate>
          <FormError error={state.error} />
          <OidcConfigForm value={config} onChange={setConfig} errors={readError(state.error)?.fields ?? {}} secretSet={oidc.clientSecretSet} redirectUri={oidc.redirectUri} />
        </form>
      </Dialog>
    </section>
  );
}

function EncryptionCard({ c }: { c: Conn }) {
  const [generate, genState] = useMutation(GenerateSpKeyMutation);
  const [promote, promoteState] = useMutation(PromoteSpKeyMutation);
  const [remove, removeState] = useMutation(RemoveSpKeyMutation);
  const [updateOptions, optionsState] = useMutation(UpdateSsoConnectionMutation);
  const confirm = useConfirm();
  const toast = useToast();
  const cert = c.spEncryptionCertificate;
  /** Asks first, runs the mutation, says what happened: the three key actions that can break encrypted sign-ins. */
  const act = async (ask: Parameters<typeof confirm>[0], run: () => Promise<unknown>, done: string) => {
    if (!(await confirm(ask))) return;
    if (await run().then(() => true, () => false)) toast.success(done);
  };
  const next = c.spNextEncryptionCertificate;
  return (
    <section className="card" aria-labelledby="encryption-title">
      <div className="card-header">
        <div><h2 id="encryption-title">Encrypted assertions</h2><p>Optional. The identity provider encrypts assertions to Portico’s certificate; the private key never leaves Portico and is encrypted at rest.</p></div>
        {cert ? (
          <div className="copy-row">
            {!next && <button className="btn" type="button" disabled={genState.loading} onClick={() => generate({ variables: { id: c.id } }).catch(() => null)}>{genState.loading ? 'Generating…' : 'Start key rollover'}</button>}
            <button className="btn btn-danger" type="button" disabled={removeState.loading} onClick={() => act(
              { title: `Remove the encryption keys of ${c.name}?`, body: 'Encrypted responses will fail with “Decryption Failed” until the identity provider stops encrypting.', confirmLabel: 'Remove keys' },
              () => remove({ variables: { id: c.id } }), 'Encryption keys removed.',
            )}>Remove key</button>
          </div>
        ) : (
          <button className="btn" type="button" disabled={genState.loading} onClick={() => generate({ variables: { id: c.id } }).catch(() => null)}>{genState.loading ? 'Generating…' : 'Generate key pair'}</button>
        )}
      </div>
      <div className="card-body stack">
        <FormError error={genState.error ?? promoteState.error ?? removeState.error ?? optionsState.error} />
        {cert ? (
          <>
            <div className="cert">
              <div className="person"><strong>{cert.subject}</strong><span className="badge badge-success">{next ? 'Current' : 'In use'}</span></div>
              <div className="subtle">Valid until {formatDate(cert.notAfter)} · SHA-256 <span className="mono">{cert.fingerprintSha256}</span></div>
              <LastUsed c={c} fingerprint={cert.fingerprintSha256} role="SP_ENCRYPTION" />
              <div className="copy-row"><span className="subtle">Give the IdP this certificate (it is also in the SP metadata).</span><CopyButton value={cert.pem} label="encryption certificate" /></div>
            </div>
            {next && (
              <div className="cert" data-testid="next-sp-key">
                <div className="person"><strong>{next.subject}</strong><span className="badge badge-warning">Next</span></div>
                <div className="subtle">Valid until {formatDate(next.notAfter)} · SHA-256 <span className="mono">{next.fingerprintSha256}</span></div>
                <LastUsed c={c} fingerprint={next.fingerprintSha256} role="SP_ENCRYPTION" />
                <p className="subtle">Published in the SP metadata beside the current key, and tried when the current one can’t decrypt: give it to the IdP now; sign-ins keep working with either. Once recent sign-ins show it in use, promote it.</p>
                <div className="copy-row">
                  <CopyButton value={next.pem} label="next encryption certificate" />
                  <button className="btn btn-primary" type="button" disabled={promoteState.loading} onClick={() => act(
                    { title: `Promote the next key of ${c.name} to current?`, body: 'The current key is discarded: an identity provider still encrypting to it will fail with “Decryption Failed”.', confirmLabel: 'Promote key' },
                    () => promote({ variables: { id: c.id } }), 'The next key is now current.',
                  )}>{promoteState.loading ? 'Promoting…' : 'Promote to current'}</button>
                  <button className="btn" type="button" disabled={removeState.loading} onClick={() => act(
                    { title: `Discard the next key of ${c.name}?`, body: 'An identity provider already encrypting to it will fail with “Decryption Failed”. The current key stays.', confirmLabel: 'Discard key' },
                    () => remove({ variables: { id: c.id, next: true } }), 'The next key was discarded.',
                  )}>Discard</button>
                </div>
              </div>
            )}
            <label className="checkbox-row" style={{ borderBottom: 0, paddingBottom: 0 }}>
              <input type="checkbox" checked={c.acceptUnencryptedAssertions} disabled={optionsState.loading}
                onChange={(e) => updateOptions({ variables: { input: { id: c.id, acceptUnencryptedAssertions: e.target.checked } } }).catch(() => null)} />
              <span>
                <strong>Accept unencrypted assertions during rollout</strong>
                <span className="subtle" style={{ display: 'block' }}>
                  While on, sign-ins whose assertion is not encrypted are still accepted, so users keep signing in while the IT admin sets up encryption in the identity provider. While off, they fail as “Malformed SAML Response”. Turn it off as soon as the identity provider encrypts.
                </span>
              </span>
            </label>
          </>
        ) : <p className="muted">Assertions are signed but not encrypted. Generate a key pair if the organization’s policy requires encryption.</p>}
      </div>
    </section>
  );
}
