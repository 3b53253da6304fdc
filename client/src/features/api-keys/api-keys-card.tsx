import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { useCan } from '../../app/viewer-context';
import { useConfirm } from '../../components/confirm-dialog';
import { CopyButton } from '../../components/copy-button';
import { Dialog } from '../../components/dialog';
import { Field } from '../../components/field';
import { EmptyState, ErrorState, FormError, Loading } from '../../components/states';
import { useToast } from '../../components/toast';
import { readError } from '../../lib/errors';
import { formatDate } from '../../lib/format';
import type { ApiKeyScope } from '../../gql/graphql';
import { ApiKeysQuery, CreateApiKeyMutation, RevealApiKeyMutation, RevokeApiKeyMutation } from './api';
import { NO_DEDUP } from '../../lib/apollo-context';

/** The server's scopes (ApiKeyScope): the compiler insists every one has a label. */
const SCOPES: Record<ApiKeyScope, { label: string; description: string }> = {
  READ_ONLY: { label: 'Read-only', description: 'Reads organizations, connections, sessions, directories and settings. Changes nothing.' },
  SSO_ADMIN: { label: 'SSO admin', description: 'Also manages organizations, domains, connections, directories and redirect URIs. The usual choice for an app using the WorkOS SDK.' },
  FULL_ENVIRONMENT: { label: 'Full environment', description: 'Also changes OAuth providers, Admin Portal settings, custom attributes and webhook endpoints. For provisioning scripts.' },
};
const SCOPE_ORDER: ApiKeyScope[] = ['READ_ONLY', 'SSO_ADMIN', 'FULL_ENVIRONMENT'];

export function ApiKeysCard({ environmentId, environmentName }: { environmentId: string; environmentName: string }) {
  const canConfigure = useCan('api-keys:manage');
  const { data, loading, error, refetch } = useQuery(ApiKeysQuery, { variables: { environmentId }, skip: !canConfigure, context: NO_DEDUP });
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [scope, setScope] = useState<ApiKeyScope>('SSO_ADMIN');
  const [secret, setSecret] = useState<string | null>(null);
  const [create, createState] = useMutation(CreateApiKeyMutation);
  const [revoke, revokeState] = useMutation(RevokeApiKeyMutation);
  const confirm = useConfirm();
  const toast = useToast();
  const [reveal, revealState] = useMutation(RevealApiKeyMutation);
  const [revealed, setRevealed] = useState<{ name: string; secret: string } | null>(null);
  const keys = data?.environment.apiKeys;

  const close = () => {
    setCreating(false);
    setName('');
    setScope('SSO_ADMIN');
    setSecret(null);
    createState.reset();
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await create({ variables: { input: { environmentId, name, scope } } }).catch(() => null);
    if (result?.data) {
      setSecret(result.data.createApiKey.secret);
      await refetch();
    }
  };

  return (
    <section className="card" aria-labelledby="api-keys-title">
      <div className="card-header">
        <div>
          <h2 id="api-keys-title">API keys</h2>
          <p>Authenticate the REST and GraphQL APIs as {environmentName}. {environmentName === 'Production' ? 'Portico stores only a hash: a Production key is shown once.' : 'Staging keys can be shown again; Production keys are shown once.'}</p>
        </div>
        {canConfigure && <button className="btn btn-primary" type="button" onClick={() => setCreating(true)}>Create API key</button>}
      </div>
      {(revokeState.error || revealState.error) && <div className="card-body"><FormError error={revokeState.error ?? revealState.error} /></div>}
      {!canConfigure ? (
        <div className="card-body muted">Only Admins and Developers can see and manage API keys.</div>
      ) : loading && !keys ? <Loading /> : error && !keys ? <ErrorState error={error} onRetry={() => refetch()} /> : !keys?.edges.length ? (
        <EmptyState title="No API keys yet">Create one for each app or server that calls Portico.</EmptyState>
      ) : (
        <div className="table-scroll">
        <table className="table">
          <thead><tr><th scope="col">Name and scope</th><th scope="col">Key</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {keys.edges.map(({ node }) => (
              <tr key={node.id}>
                <td>
                  <div>{node.name}</div>
                  <span className="badge" style={{ whiteSpace: 'nowrap', marginTop: 4 }} title={SCOPES[node.scope].description}>{SCOPES[node.scope].label}</span>
                </td>
                <td><code>{node.maskedValue}</code></td>
                <td className="muted">{formatDate(node.createdAt)}</td>
                <td className="muted">{node.lastUsedAt ? formatDate(node.lastUsedAt) : 'Never'}</td>
                <td className="actions">
                  {node.revealable && (
                    <button className="btn btn-sm btn-ghost" type="button" aria-label={`Show ${node.name}`} disabled={revealState.loading} onClick={async () => {
                      const result = await reveal({ variables: { id: node.id } }).catch(() => null);
                      if (result?.data) setRevealed({ name: node.name, secret: result.data.revealApiKey });
                    }}>Show</button>
                  )}
                  <button className="btn btn-sm btn-danger" type="button" aria-label={`Revoke ${node.name}`}
                    onClick={async () => {
                      const ok = await confirm({ title: `Revoke API key “${node.name}”?`, body: 'Apps using it stop working at once. This cannot be undone.', confirmLabel: 'Revoke API key' });
                      if (!ok) return;
                      const result = await revoke({ variables: { id: node.id } }).catch(() => null);
                      if (!result?.data) return;
                      await refetch();
                      toast.success(`API key “${node.name}” revoked.`);
                    }}>
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
      <Dialog open={revealed !== null} title={`API key “${revealed?.name ?? ''}”`} description="Staging keys can be shown again; Production keys are shown only once." onClose={() => setRevealed(null)} footer={<button className="btn btn-primary" type="button" onClick={() => setRevealed(null)}>Done</button>}>
        {revealed && <div className="copy-row"><code data-testid="revealed-secret" style={{ wordBreak: 'break-all' }}>{revealed.secret}</code><CopyButton value={revealed.secret} label="API key" /></div>}
      </Dialog>
      <Dialog open={creating} title={secret ? 'Copy your API key now' : 'Create API key'} description={secret ? (environmentName === 'Production' ? 'This is the only time it is shown: Portico keeps only its hash. Store it in your secrets manager.' : 'Store it in your secrets manager. A Staging key can be shown again from this list.') : undefined} onClose={close}
        footer={secret ? <button className="btn btn-primary" type="button" onClick={close}>Done</button> : <><button className="btn" type="button" onClick={close}>Cancel</button><button className="btn btn-primary" type="submit" form="api-key-form" disabled={createState.loading}>{createState.loading ? 'Creating…' : 'Create key'}</button></>}>
        {secret ? (
          <div className="copy-row"><code data-testid="api-key-secret" style={{ wordBreak: 'break-all' }}>{secret}</code><CopyButton value={secret} label="API key" /></div>
        ) : (
          <form id="api-key-form" className="form" onSubmit={submit} noValidate>
            <FormError error={createState.error} />
            <Field label="Name" value={name} onChange={(e) => setName(e.target.value)} error={readError(createState.error)?.fields.name} hint="What uses it, e.g. “Production web app”." required autoFocus />
            <fieldset className="field" style={{ border: 0, padding: 0, margin: 0 }}>
              <legend className="label" style={{ marginBottom: 6 }}>Scope</legend>
              {SCOPE_ORDER.map((s) => (
                <label key={s} className="checkbox-row" style={{ cursor: 'pointer' }}>
                  <input type="radio" name="scope" value={s} checked={scope === s} onChange={() => setScope(s)} />
                  <span>
                    <strong>{SCOPES[s].label}</strong>
                    <span className="subtle" style={{ display: 'block' }}>{SCOPES[s].description}</span>
                  </span>
                </label>
              ))}
              <span className="subtle">No key manages API keys, the team or billing, or reaches another environment.</span>
            </fieldset>
          </form>
        )}
      </Dialog>
    </section>
  );
}
