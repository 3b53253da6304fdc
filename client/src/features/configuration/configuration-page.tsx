import { Fragment, useState, type CSSProperties, type FormEvent } from 'react';
import { useCurrentViewer } from '../../app/viewer-context';
import { useMutation, useQuery } from '@apollo/client/react';
import { useCurrentEnvironment } from '../../app/use-environment';
import { useCan } from '../../app/viewer-context';
import { CopyButton } from '../../components/copy-button';
import { Field } from '../../components/field';
import { EmptyState, ErrorState, FormError, Loading } from '../../components/states';
import { useToast } from '../../components/toast';
import { TabLinks } from '../../components/tabs';
import { readError } from '../../lib/errors';
import { brandPalette } from '../../portal/branding';
import { ApiKeysCard } from '../api-keys/api-keys-card';
import { RedirectUrisCard } from '../redirect-uris/redirect-uris-card';
import { AdminPortalQuery, OAuthProvidersQuery, UpdateAdminPortalMutation, UpdateOAuthProviderMutation } from './api';
import { CustomAttributesCard } from './custom-attributes-page';
import { WebhooksCard } from '../webhooks/webhooks-card';
import { TestIdpCard } from './test-idp-card';
import { OAuthSignIns } from './oauth-sign-ins';

type Tab = 'keys' | 'oauth' | 'admin-portal' | 'custom-attributes' | 'webhooks';

/** Configuration: one environment's keys, redirect URIs, OAuth providers, Admin Portal and custom attributes. */
export function ConfigurationPage({ tab = 'keys' }: { tab?: Tab }) {
  const environment = useCurrentEnvironment();
  const canConfigure = useCan('environment:configure');
  if (!environment) return <div className="page"><EmptyState title="No workspace yet" /></div>;
  return (
    <div className="page">
      <div className="page-header"><div><h1>Configuration</h1><p>{environment.name} settings. Each environment has its own.</p></div></div>
      <TabLinks label="Configuration" tabs={[
        { to: '/configuration', label: 'API keys & redirects', end: true }, { to: '/configuration/oauth', label: 'OAuth providers' },
        { to: '/configuration/admin-portal', label: 'Admin Portal' }, { to: '/configuration/custom-attributes', label: 'Custom attributes' },
        { to: '/configuration/webhooks', label: 'Webhooks' },
      ]} />
      {!canConfigure && tab !== 'custom-attributes' ? (
        <section className="card"><EmptyState title="Admins and Developers only">Your role (Support) manages organizations, connections, directories and sessions; API keys, redirect URIs and provider secrets are for Admins and Developers.</EmptyState></section>
      ) : tab === 'keys' ? (
        <>
          <section className="card" aria-labelledby="client-id-title">
            <div className="card-header"><div><h2 id="client-id-title">Client ID</h2><p>Pass it as <code>client_id</code> to the authorization URL and the token exchange.</p></div></div>
            <div className="card-body copy-row"><code data-testid="config-client-id">{environment.clientId}</code><CopyButton value={environment.clientId} label="client ID" /></div>
          </section>
          <ApiKeysCard key={environment.id} environmentId={environment.id} environmentName={environment.name} />
          <RedirectUrisCard key={`redirects-${environment.id}`} environmentId={environment.id} kind={environment.kind} />
          <p className="subtle">Redirect URI best practices: use https, keep the list short and exact, prefer one callback per app over wildcards, and never point a redirect URI at an open redirector. <a href="https://workos.com/docs/sso/redirect-uris" target="_blank" rel="noreferrer">Read more</a>.</p>
          <TestIdpCard key={`test-idp-${environment.id}`} environmentId={environment.id} canConfigure={canConfigure} />
        </>
      ) : tab === 'webhooks' ? <WebhooksCard key={`webhooks-${environment.id}`} environmentId={environment.id} kind={environment.kind} />
      : tab === 'oauth' ? <OAuthProviders environmentId={environment.id} /> : tab === 'admin-portal' ? <AdminPortal environmentId={environment.id} /> : <CustomAttributesCard />}
    </div>
  );
}

const PROVIDERS: Record<string, { label: string; clientIdHint: string }> = {
  GoogleOAuth: { label: 'Google OAuth', clientIdHint: 'From Google Cloud Console → Credentials (…apps.googleusercontent.com).' },
  MicrosoftOAuth: { label: 'Microsoft OAuth', clientIdHint: 'The application (client) ID of your Entra ID app registration.' },
  GitHubOAuth: { label: 'GitHub OAuth', clientIdHint: 'From GitHub → Settings → Developer settings → OAuth Apps.' },
  AppleOAuth: { label: 'Sign in with Apple', clientIdHint: 'Your Services ID (e.g. com.example.signin).' },
};

function OAuthProviders({ environmentId }: { environmentId: string }) {
  const { data, loading, error, refetch } = useQuery(OAuthProvidersQuery, { variables: { environmentId } });
  if (loading && !data) return <Loading />;
  if (error && !data) return <ErrorState error={error} onRetry={() => refetch()} />;
  // A provider's recent sign-ins follow its card once it is enabled.
  return <>{data!.environment.oauthProviders.map((p) => (
    <Fragment key={p.provider}>
      <OAuthProviderCard environmentId={environmentId} provider={p} />
      {p.enabled && <OAuthSignIns environmentId={environmentId} provider={p.provider} label={p.provider.replace(/OAuth$/, '')} />}
    </Fragment>
  ))}</>;
}

function OAuthProviderCard({ environmentId, provider: p }: { environmentId: string; provider: { provider: string; enabled: boolean; clientId?: string | null; clientSecretSet: boolean; appleTeamId?: string | null; appleKeyId?: string | null; applePrivateKeySet: boolean; microsoftTenant: string; redirectUri: string } }) {
  const meta = PROVIDERS[p.provider]!;
  const apple = p.provider === 'AppleOAuth';
  const [clientId, setClientId] = useState(p.clientId ?? '');
  const [secret, setSecret] = useState('');
  const [teamId, setTeamId] = useState(p.appleTeamId ?? '');
  const [keyId, setKeyId] = useState(p.appleKeyId ?? '');
  const [privateKey, setPrivateKey] = useState('');
  const microsoft = p.provider === 'MicrosoftOAuth';
  const [tenant, setTenant] = useState(p.microsoftTenant);
  const toast = useToast();
  const [update, state] = useMutation(UpdateOAuthProviderMutation, { refetchQueries: ['OAuthProviders'], awaitRefetchQueries: true });
  const fields = readError(state.error)?.fields ?? {};
  const save = async (enabled: boolean, e?: FormEvent) => {
    e?.preventDefault();
    const input = { environmentId, provider: p.provider, enabled, clientId: clientId || null, ...(secret ? { clientSecret: secret } : {}), ...(apple ? { appleTeamId: teamId || null, appleKeyId: keyId || null, ...(privateKey ? { applePrivateKey: privateKey } : {}) } : {}), ...(microsoft ? { microsoftTenant: tenant } : {}) };
    const result = await update({ variables: { input } }).catch(() => null);
    if (result?.data) {
      setSecret('');
      setPrivateKey('');
      toast.success(enabled === p.enabled ? `${meta.label} settings saved.` : `${meta.label} ${enabled ? 'enabled' : 'disabled'}.`);
    }
  };
  const id = `oauth-${p.provider}`;
  return (
    <form className="card" aria-labelledby={id} onSubmit={(e) => save(p.enabled, e)} noValidate>
      <div className="card-header">
        <div><h2 id={id} className="person">{meta.label} {p.enabled ? <span className="badge badge-success">Enabled</span> : <span className="badge">Disabled</span>}</h2><p>Let users sign in with {meta.label.replace(/ OAuth$/, '')} (<code>provider={p.provider}</code>).</p></div>
        <button className="btn" type="button" disabled={state.loading} onClick={() => save(!p.enabled)}>{p.enabled ? 'Disable' : 'Enable'}</button>
      </div>
      <div className="card-body form">
        <FormError error={state.error} />
        {fields.enabled && <div className="alert alert-danger" role="alert">{fields.enabled}</div>}
        <div className="field">
          <span className="label">Redirect URI to register with the provider</span>
          <span className="copy-row"><code className="mono">{p.redirectUri}</code><CopyButton value={p.redirectUri} label={`${meta.label} redirect URI`} /></span>
        </div>
        <Field label="Client ID" value={clientId} onChange={(e) => setClientId(e.target.value)} hint={meta.clientIdHint} error={fields.clientId} />
        {microsoft && (
          <Field label="Tenant" value={tenant} onChange={(e) => setTenant(e.target.value)} placeholder="common"
            hint="Who may sign in: common (work, school and personal accounts), organizations (work and school), consumers (personal), or one tenant’s ID or domain." error={fields.microsoftTenant} />
        )}
        {apple ? (
          <>
            <div className="grid-2">
              <Field label="Team ID" value={teamId} onChange={(e) => setTeamId(e.target.value)} placeholder="ABCDE12345" error={fields.appleTeamId} />
              <Field label="Key ID" value={keyId} onChange={(e) => setKeyId(e.target.value)} placeholder="KEY1234567" error={fields.appleKeyId} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-key`}>Private key (.p8)</label>
              <textarea id={`${id}-key`} className="textarea" value={privateKey} onChange={(e) => setPrivateKey(e.target.value)} placeholder={p.applePrivateKeySet ? 'Stored — paste a new key to replace it' : '-----BEGIN PRIVATE KEY-----'} aria-invalid={fields.applePrivateKey ? true : undefined} rows={4} />
              <span className="hint">{p.applePrivateKeySet ? 'A key is stored (encrypted; never shown).' : 'Not set.'}</span>
              {fields.applePrivateKey && <span className="error">{fields.applePrivateKey}</span>}
            </div>
          </>
        ) : (
          <Field label="Client secret" type="password" autoComplete="off" value={secret} onChange={(e) => setSecret(e.target.value)} placeholder={p.clientSecretSet ? 'Stored — type a new secret to replace it' : ''} hint={p.clientSecretSet ? 'A secret is stored (encrypted; never shown).' : 'Not set.'} error={fields.clientSecret} />
        )}
        <div className="form-actions"><button className="btn btn-primary" type="submit" disabled={state.loading}>{state.loading ? 'Saving…' : 'Save'}</button></div>
      </div>
    </form>
  );
}

function AdminPortal({ environmentId }: { environmentId: string }) {
  const { data, loading, error, refetch } = useQuery(AdminPortalQuery, { variables: { environmentId } });
  if (loading && !data) return <Loading />;
  if (error && !data) return <ErrorState error={error} onRetry={() => refetch()} />;
  return <AdminPortalForm environmentId={environmentId} initial={data!.environment.adminPortal} />;
}

function AdminPortalForm({ environmentId, initial }: { environmentId: string; initial: { redirectUrl?: string | null; displayName?: string | null; logoUrl?: string | null; brandColor?: string | null } }) {
  const [form, setForm] = useState({ redirectUrl: initial.redirectUrl ?? '', displayName: initial.displayName ?? '', logoUrl: initial.logoUrl ?? '', brandColor: initial.brandColor ?? '#4f46e5' });
  const [update, state] = useMutation(UpdateAdminPortalMutation);
  const toast = useToast();
  const fields = readError(state.error)?.fields ?? {};
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await update({ variables: { input: { environmentId, redirectUrl: form.redirectUrl || null, displayName: form.displayName || null, logoUrl: form.logoUrl || null, brandColor: form.brandColor || null } } }).catch(() => null);
    if (result?.data) toast.success('Admin Portal settings saved.');
  };
  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="portal-title">
      <div className="card-header"><div><h2 id="portal-title">Admin Portal</h2><p>Where your customers’ IT admins go after setting up SSO or directory sync, and how the portal looks to them.</p></div></div>
      <div className="card-body form">
        <FormError error={state.error} />
        <Field label="Admin Portal redirect link" value={form.redirectUrl} onChange={set('redirectUrl')} placeholder="https://app.example.com/settings/sso" hint="Must be https." error={fields.redirectUrl} />
        <Field label="Display name" value={form.displayName} onChange={set('displayName')} placeholder="Your app’s name" error={fields.displayName} />
        <Field label="Logo URL" value={form.logoUrl} onChange={set('logoUrl')} placeholder="https://cdn.example.com/logo.svg" error={fields.logoUrl} />
        <div className="field" style={{ maxWidth: 260 }}>
          <label htmlFor="brand-color">Brand colour</label>
          <span className="copy-row"><input id="brand-color" className="input" value={form.brandColor} onChange={set('brandColor')} aria-invalid={fields.brandColor ? true : undefined} /><input type="color" aria-label="Pick the brand colour" value={/^#[0-9a-f]{6}$/i.test(form.brandColor) ? form.brandColor : '#4f46e5'} onChange={set('brandColor')} /></span>
          {fields.brandColor && <span className="error">{fields.brandColor}</span>}
        </div>
        <PortalPreview name={form.displayName} logoUrl={form.logoUrl} color={form.brandColor} />
        <div className="form-actions"><button className="btn btn-primary" type="submit" disabled={state.loading}>{state.loading ? 'Saving…' : 'Save'}</button></div>
      </div>
    </form>
  );
}

/** How the Admin Portal's header, a button and its footer look with these settings (updated as you type). */
function PortalPreview({ name, logoUrl, color }: { name: string; logoUrl: string; color: string }) {
  const viewer = useCurrentViewer();
  // The portal's own palette for this colour in the dashboard's current theme (readable text on and beside it).
  const palette = brandPalette(color, document.documentElement.dataset.theme === 'dark');
  const shown = name.trim() || viewer.workspace?.name || 'Your app';
  return (
    <figure className="portal-preview" aria-label="Preview of the Admin Portal" style={(palette ?? undefined) as CSSProperties | undefined}>
      <figcaption className="label">Preview</figcaption>
      <div className="portal-preview-frame">
        <div className="portal-preview-header"><span className="portal-preview-mark" aria-hidden="true">{shown.slice(0, 1).toUpperCase()}</span><strong>{shown}</strong><span className="btn btn-sm" aria-hidden="true">Return to app</span></div>
        <div className="portal-preview-body"><span className="subtle">Customer Inc</span><strong>Set up single sign-on</strong><span className="btn btn-primary btn-sm" aria-hidden="true">Test sign-in</span></div>
        <div className="portal-preview-footer subtle">{viewer.workspace?.supportEmail ? `Questions? Contact ${viewer.workspace.supportEmail}` : 'Questions? Contact … (set a support email in Workspace → Team details)'}</div>
      </div>
      {logoUrl.trim() && <p className="subtle">The portal shows your logo in place of the initial; the dashboard does not load images from other sites.</p>}
    </figure>
  );
}
