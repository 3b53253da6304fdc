import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { redirectUriProblems } from '@portico/shared';
import { useCan } from '../../app/viewer-context';
import { useConfirm } from '../../components/confirm-dialog';
import { Field } from '../../components/field';
import { EmptyState, ErrorState, FormError, Loading } from '../../components/states';
import { useToast } from '../../components/toast';
import { readError } from '../../lib/errors';
import { AddRedirectUriMutation, RedirectUrisQuery, RemoveRedirectUriMutation, SetDefaultRedirectUriMutation } from './api';

/** The environment's allowed redirect URIs, checked against the contract's rules as you type. */
export function RedirectUrisCard({ environmentId, kind }: { environmentId: string; kind: 'STAGING' | 'PRODUCTION' }) {
  const canConfigure = useCan('redirect-uris:manage');
  const { data, loading, error, refetch } = useQuery(RedirectUrisQuery, { variables: { environmentId }, skip: !canConfigure });
  const [uri, setUri] = useState('');
  const [touched, setTouched] = useState(false);
  const [add, addState] = useMutation(AddRedirectUriMutation, { refetchQueries: ['RedirectUris'] });
  const [setDefault, defaultState] = useMutation(SetDefaultRedirectUriMutation, { refetchQueries: ['RedirectUris'] });
  const [remove, removeState] = useMutation(RemoveRedirectUriMutation, { refetchQueries: ['RedirectUris'] });
  const confirm = useConfirm();
  const toast = useToast();
  const local = touched && uri.trim() ? redirectUriProblems(uri, kind)[0]?.message : undefined;
  const uris = data?.environment.redirectUris;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!uri.trim() || redirectUriProblems(uri, kind).length) return;
    const result = await add({ variables: { input: { environmentId, uri } } }).catch(() => null);
    if (result?.data) {
      toast.success(`Redirect URI ${uri} added.`);
      setUri('');
      setTouched(false);
    }
  };
  return (
    <section className="card" aria-labelledby="redirects-title">
      <div className="card-header">
        <div>
          <h2 id="redirects-title">Redirect URIs</h2>
          <p>Where sign-ins may return to your app. A <code>redirect_uri</code> not on this list is refused; the default receives IdP-initiated sign-ins. {kind === 'PRODUCTION' ? 'Production needs https:// (http://127.0.0.1 for native apps).' : 'Staging also accepts http:// and localhost.'}</p>
        </div>
      </div>
      {!canConfigure ? <div className="card-body muted">Only Admins and Developers can see and change redirect URIs.</div> : loading && !uris ? <Loading /> : error && !uris ? <ErrorState error={error} onRetry={() => refetch()} /> : (
        <>
          <FormError error={defaultState.error ?? removeState.error} />
          {!uris?.length ? <EmptyState title="No redirect URIs yet">Add your app’s callback URL; the first one becomes the default.</EmptyState> : (
            <table className="table">
              <thead><tr><th scope="col">URI</th><th scope="col"><span className="visually-hidden">Default</span></th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
              <tbody>
                {uris.map((r) => (
                  <tr key={r.id}>
                    <td className="mono">{r.uri}</td>
                    <td>{r.isDefault && <span className="badge badge-accent">Default</span>}</td>
                    <td className="actions">
                      {!r.isDefault && !r.uri.includes('*') && <button className="btn btn-sm btn-ghost" type="button" onClick={() => setDefault({ variables: { id: r.id } }).catch(() => null)}>Make default</button>}
                      <button className="btn btn-sm btn-danger" type="button" aria-label={`Remove ${r.uri}`} onClick={async () => {
                        const ok = await confirm({ title: `Remove redirect URI ${r.uri}?`, body: 'Sign-ins that ask to return there will be refused.', confirmLabel: 'Remove redirect URI' });
                        if (!ok) return;
                        const result = await remove({ variables: { id: r.id } }).catch(() => null);
                        if (result?.data) toast.success(`Redirect URI ${r.uri} removed.`);
                      }}>Remove</button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <form className="card-body copy-row" onSubmit={submit} noValidate style={{ alignItems: 'flex-start', borderTop: '1px solid var(--border)' }}>
            <div style={{ flex: 1 }}>
              <Field label="Add a redirect URI" value={uri} onChange={(e) => { setUri(e.target.value); if (addState.error) addState.reset(); }} onBlur={() => setTouched(true)} placeholder={kind === 'PRODUCTION' ? 'https://app.example.com/callback' : 'http://localhost:3000/callback'}
                hint="A * may stand for the left-most part of the host (https://*.example.com/callback), never in the default."
                error={local ?? readError(addState.error)?.fields.uri ?? (readError(addState.error)?.code === 'CONFLICT' ? readError(addState.error)?.message : undefined)} />
            </div>
            <button className="btn btn-beside-field" type="submit" disabled={addState.loading}>{addState.loading ? 'Adding…' : 'Add'}</button>
          </form>
        </>
      )}
    </section>
  );
}
