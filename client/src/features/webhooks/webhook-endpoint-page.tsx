import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from '@apollo/client/react';
import { EmptyState, ErrorState, FormError, Loading } from '../../components/states';
import { ResendWebhookEventMutation, SendTestWebhookEventMutation, WebhookDeliveriesQuery } from './api';

const STATUS_BADGE: Record<string, string> = { delivered: 'badge badge-success', failed: 'badge badge-danger', pending: 'badge badge-warning' };
const when = (iso: string) => new Date(iso).toLocaleString();

/** The delivery log of one endpoint: each delivery with every attempt (status, latency, response), Resend, Send test event. */
export function WebhookEndpointPage() {
  const { id = '' } = useParams();
  const { data, loading, error, refetch } = useQuery(WebhookDeliveriesQuery, { variables: { id }, pollInterval: 5_000 });
  const [resend, resendState] = useMutation(ResendWebhookEventMutation, { refetchQueries: ['WebhookDeliveries'] });
  const [sendTest, testState] = useMutation(SendTestWebhookEventMutation, { refetchQueries: ['WebhookDeliveries'] });
  const endpoint = data?.webhookEndpoint;
  if (loading && !endpoint) return <div className="page"><Loading /></div>;
  if (error && !endpoint) return <div className="page"><ErrorState error={error} onRetry={() => refetch()} /></div>;
  if (!endpoint) return null;
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <p className="subtle"><Link to="/configuration/webhooks">Webhooks</Link> /</p>
          <h1 className="mono" style={{ wordBreak: 'break-all', fontSize: 20 }}>{endpoint.endpointUrl}</h1>
          <p>
            {endpoint.status === 'disabled' ? <span className="badge">Disabled</span> : endpoint.failingSince ? <span className="badge badge-danger">Failing since {when(endpoint.failingSince)}</span> : <span className="badge badge-success">Enabled</span>}
            {' '}{endpoint.events.length} event{endpoint.events.length === 1 ? '' : 's'}: <span className="mono" style={{ fontSize: 13 }}>{endpoint.events.join(', ')}</span>
          </p>
        </div>
        <button className="btn btn-primary" type="button" disabled={testState.loading} onClick={() => sendTest({ variables: { endpointId: endpoint.id } }).catch(() => null)}>
          {testState.loading ? 'Sending…' : 'Send test event'}
        </button>
      </div>
      <FormError error={resendState.error ?? testState.error} />
      <section className="card" aria-labelledby="log-title">
        <div className="card-header"><div><h2 id="log-title">Delivery log</h2><p>The latest 50 deliveries, newest first. Open one for each attempt and the start of what your endpoint answered.</p></div></div>
        {!endpoint.deliveries.length ? <EmptyState title="No deliveries yet">Events this endpoint subscribes to appear here as they are sent. Try “Send test event”.</EmptyState> : (
          <ul className="delivery-list" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {endpoint.deliveries.map((d) => {
              const last = d.attempts[0];
              return (
                <li key={d.id} style={{ borderBottom: '1px solid var(--border)' }}>
                  <details>
                    <summary style={{ display: 'flex', flexWrap: 'wrap', gap: 12, alignItems: 'center', padding: '12px 20px', cursor: 'pointer' }}>
                      <span className={STATUS_BADGE[d.status] ?? 'badge'}>{d.status}</span>
                      <span className="mono" style={{ fontSize: 13 }}>{d.eventName}</span>
                      <span className="subtle mono" style={{ fontSize: 12 }}>{d.eventId}</span>
                      <span className="subtle" style={{ marginLeft: 'auto' }}>{last ? `${last.responseStatus ?? last.error} · ${last.durationMs} ms · ` : 'not tried yet · '}{d.attempts.length} attempt{d.attempts.length === 1 ? '' : 's'} · {when(d.createdAt)}</span>
                    </summary>
                    <div className="card-body stack">
                      {d.attempts.map((a) => (
                        <div key={a.id} className="stack" style={{ gap: 6 }}>
                          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 12 }}>
                            <span className={a.succeeded ? 'badge badge-success' : 'badge badge-danger'}>{a.responseStatus ?? 'no answer'}</span>
                            <span>{a.durationMs} ms</span>
                            {a.error && <span className="mono">{a.error}</span>}
                            <span className="subtle">{when(a.attemptedAt)}</span>
                          </div>
                          {a.responseBody ? <pre className="xml" style={{ maxHeight: 160 }} aria-label="Response body (first 4 KB)">{a.responseBody}</pre> : null}
                        </div>
                      ))}
                      <div><button className="btn btn-sm" type="button" onClick={() => resend({ variables: { endpointId: endpoint.id, eventId: d.eventId } }).catch(() => null)}>Resend</button></div>
                    </div>
                  </details>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </div>
  );
}
