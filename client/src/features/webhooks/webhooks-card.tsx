import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from '@apollo/client/react';
import { WEBHOOK_EVENTS, webhookUrlProblems } from '@portico/shared';
import { useConfirm } from '../../components/confirm-dialog';
import { CopyButton } from '../../components/copy-button';
import { Dialog } from '../../components/dialog';
import { Field } from '../../components/field';
import { EmptyState, ErrorState, FormError, Loading } from '../../components/states';
import { useToast } from '../../components/toast';
import { readError } from '../../lib/errors';
import { CreateWebhookEndpointMutation, DeleteWebhookEndpointMutation, RotateWebhookSecretMutation, UpdateWebhookEndpointMutation, WebhookEndpointsQuery } from './api';

/** The signing secret, shown once after it is created or rotated. */
function SecretDialog({ secret, onClose }: { secret: string | null; onClose: () => void }) {
  return (
    <Dialog open={secret !== null} title="Signing secret" onClose={onClose}
      description="Copy it now: Portico won't show it again. Verify each delivery's WorkOS-Signature header with it (workos.webhooks.constructEvent)."
      footer={<button className="btn btn-primary" type="button" onClick={onClose}>Done</button>}>
      <div className="copy-row"><code data-testid="webhook-secret" className="mono">{secret}</code>{secret && <CopyButton value={secret} label="signing secret" />}</div>
    </Dialog>
  );
}

/** Webhook endpoints of the environment: add one (URL, events), enable/disable, rotate the secret, delete. */
export function WebhooksCard({ environmentId, kind }: { environmentId: string; kind: 'STAGING' | 'PRODUCTION' }) {
  const { data, loading, error, refetch } = useQuery(WebhookEndpointsQuery, { variables: { environmentId } });
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>([]);
  const [touched, setTouched] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [create, createState] = useMutation(CreateWebhookEndpointMutation, { refetchQueries: ['WebhookEndpoints'] });
  const [update, updateState] = useMutation(UpdateWebhookEndpointMutation, { refetchQueries: ['WebhookEndpoints'] });
  const [rotate, rotateState] = useMutation(RotateWebhookSecretMutation);
  const [remove, removeState] = useMutation(DeleteWebhookEndpointMutation, { refetchQueries: ['WebhookEndpoints'] });
  const confirm = useConfirm();
  const toast = useToast();
  const local = touched && url.trim() ? webhookUrlProblems(url, kind)[0]?.message : undefined;
  const serverErrors = readError(createState.error)?.fields;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!url.trim() || webhookUrlProblems(url, kind).length || !events.length) return;
    const result = await create({ variables: { input: { environmentId, endpointUrl: url.trim(), events } } }).catch(() => null);
    if (result?.data) {
      setSecret(result.data.createWebhookEndpoint.secret);
      setUrl('');
      setEvents([]);
      setTouched(false);
    }
  };
  const endpoints = data?.environment.webhookEndpoints;
  return (
    <section className="card" aria-labelledby="webhooks-title">
      <div className="card-header">
        <div>
          <h2 id="webhooks-title">Webhook endpoints</h2>
          <p>Portico POSTs each event your endpoint subscribes to, signed with <code>WorkOS-Signature</code>. Delivery is at least once and in no particular order: deduplicate by event ID. {kind === 'PRODUCTION' ? 'Production endpoints need https://; failures are retried 6 times over 3 days.' : 'Failures are retried 6 times over a few minutes.'}</p>
        </div>
      </div>
      {loading && !endpoints ? <Loading /> : error && !endpoints ? <ErrorState error={error} onRetry={() => refetch()} /> : (
        <>
          <FormError error={updateState.error ?? rotateState.error ?? removeState.error} />
          {!endpoints?.length ? <EmptyState title="No webhook endpoints yet">Add the URL of your app that should hear about connections, sign-ins, organizations and directory changes.</EmptyState> : (
            <div className="table-wrap">
              <table className="table">
                <thead><tr><th scope="col">URL</th><th scope="col">Status</th><th scope="col">Events</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
                <tbody>
                  {endpoints.map((w) => (
                    <tr key={w.id}>
                      <td className="mono" style={{ wordBreak: 'break-all', minWidth: 200 }}><Link to={`/configuration/webhooks/${w.id}`}>{w.endpointUrl}</Link></td>
                      <td>
                        {w.status === 'disabled' ? <span className="badge">Disabled</span> : w.failingSince ? <span className="badge badge-danger">Failing</span> : <span className="badge badge-success">Enabled</span>}
                      </td>
                      <td className="nowrap">{w.events.length} event{w.events.length === 1 ? '' : 's'}</td>
                      <td className="actions">
                        <Link className="btn btn-sm btn-ghost" to={`/configuration/webhooks/${w.id}`}>Delivery log</Link>
                        <button className="btn btn-sm btn-ghost" type="button" onClick={async () => {
                          const disabling = w.status === 'enabled';
                          if (disabling && !(await confirm({ title: `Disable webhook endpoint ${w.endpointUrl}?`, body: 'No events are delivered to it until it is enabled again.', confirmLabel: 'Disable endpoint' }))) return;
                          const r = await update({ variables: { input: { id: w.id, status: disabling ? 'disabled' : 'enabled' } } }).catch(() => null);
                          if (r?.data) toast.success(`Webhook endpoint ${disabling ? 'disabled' : 'enabled'}.`);
                        }}>
                          {w.status === 'enabled' ? 'Disable' : 'Enable'}
                        </button>
                        <button className="btn btn-sm btn-ghost" type="button" onClick={async () => {
                          const ok = await confirm({ title: `Rotate the signing secret of ${w.endpointUrl}?`, body: 'Deliveries are signed with the new secret at once: update your app first or alongside.', confirmLabel: 'Rotate secret' });
                          if (!ok) return;
                          const r = await rotate({ variables: { id: w.id } }).catch(() => null);
                          if (r?.data) setSecret(r.data.rotateWebhookEndpointSecret.secret);
                        }}>Rotate secret</button>
                        <button className="btn btn-sm btn-danger" type="button" aria-label={`Delete ${w.endpointUrl}`} onClick={async () => {
                          const ok = await confirm({ title: `Delete webhook endpoint ${w.endpointUrl}?`, body: 'Pending deliveries to it are dropped. This cannot be undone.', confirmLabel: 'Delete endpoint' });
                          if (!ok) return;
                          const r = await remove({ variables: { id: w.id } }).catch(() => null);
                          if (r?.data) toast.success('Webhook endpoint deleted.');
                        }}>Delete</button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <form className="card-body stack" onSubmit={submit} noValidate style={{ borderTop: '1px solid var(--border)' }}>
            <Field label="Endpoint URL" value={url} onChange={(e) => setUrl(e.target.value)} onBlur={() => setTouched(true)} placeholder="https://app.example.com/webhooks/portico"
              error={local ?? serverErrors?.endpointUrl} />
            <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
              <legend className="label">Events to send</legend>
              <div className="event-grid" style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 330px), 1fr))', columnGap: 16 }}>
                {WEBHOOK_EVENTS.map((name) => (
                  <label key={name} className="checkbox-row" style={{ cursor: 'pointer', padding: '6px 0', borderBottom: 0 }}>
                    <input type="checkbox" checked={events.includes(name)} onChange={(e) => setEvents(e.target.checked ? [...events, name] : events.filter((x) => x !== name))} />
                    <span className="mono" style={{ fontSize: 13 }}>{name}</span>
                  </label>
                ))}
              </div>
              {touched && !events.length && <p className="error" role="alert">Choose at least one event to send.</p>}
              {serverErrors?.events && <p className="error" role="alert">{serverErrors.events}</p>}
            </fieldset>
            <div><button className="btn btn-primary" type="submit" disabled={createState.loading}>{createState.loading ? 'Adding…' : 'Add endpoint'}</button></div>
          </form>
        </>
      )}
      <SecretDialog secret={secret} onClose={() => setSecret(null)} />
    </section>
  );
}
