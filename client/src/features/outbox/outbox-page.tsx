import { useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { graphql } from '../../gql';
import { useCan, useCurrentViewer } from '../../app/viewer-context';
import { EmptyState, ErrorState, Loading } from '../../components/states';

const OutboxQuery = graphql(`
  query Outbox($after: String) {
    outbox(first: 25, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id to from subject text createdAt } }
    }
  }
`);

/** Plain-text body with its URLs as links, so a developer can follow an invitation from here. */
function Linkified({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s]+)/g);
  return <div className="email-preview">{parts.map((part, i) => (/^https?:\/\//.test(part) ? <a key={i} href={part}>{part}</a> : part))}</div>;
}

export function OutboxPage() {
  const viewer = useCurrentViewer();
  const canRead = useCan('outbox:view');
  const { data, loading, error, refetch, fetchMore } = useQuery(OutboxQuery, { fetchPolicy: 'cache-and-network', skip: !canRead });
  if (!canRead) {
    return (
      <div className="page">
        <div className="page-header"><div><h1>Dev outbox</h1></div></div>
        <section className="card"><EmptyState level={2} title="The dev outbox is for Admins">It holds the emails this Portico keeps instead of sending them (invitations, sign-up links), so only workspace Admins can read it. Ask an Admin if you are waiting for an email.</EmptyState></section>
      </div>
    );
  }
  const [open, setOpen] = useState<string | null>(null);
  const outbox = data?.outbox;

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>Dev outbox</h1>
          <p>
            {viewer.emailDelivery === 'smtp'
              ? 'Email is delivered through SMTP (SMTP_URL). Messages sent before SMTP was set up stay listed here.'
              : 'No SMTP server is configured (SMTP_URL), so emails this workspace sends are kept here instead of being delivered.'}
          </p>
        </div>
        <button className="btn" type="button" onClick={() => refetch()}>Refresh</button>
      </div>
      <section className="card" aria-labelledby="outbox-messages">
        <h2 id="outbox-messages" className="visually-hidden">Messages</h2>
        {loading && !outbox ? <Loading /> : error && !outbox ? <ErrorState error={error} onRetry={() => refetch()} /> : !outbox?.edges.length ? (
          <EmptyState title="No emails yet">Invitations you send to teammates will appear here.</EmptyState>
        ) : (
          <>
            {outbox.edges.map(({ node }) => (
              <div key={node.id} className="list-row" style={{ flexDirection: 'column', alignItems: 'stretch' }}>
                <button type="button" className="row-button"
                  aria-expanded={open === node.id} onClick={() => setOpen(open === node.id ? null : node.id)}>
                  <span>
                    <strong>{node.subject}</strong>
                    <span className="subtle" style={{ display: 'block' }}>To {node.to}</span>
                  </span>
                  <time className="subtle" dateTime={node.createdAt}>{new Date(node.createdAt).toLocaleString()}</time>
                </button>
                {open === node.id && <div style={{ marginTop: 12 }}><Linkified text={node.text} /></div>}
              </div>
            ))}
            {outbox.pageInfo.hasNextPage && (
              <div className="pager">
                <button className="btn" type="button" onClick={() => fetchMore({ variables: { after: outbox.pageInfo.endCursor },
                  updateQuery: (prev, { fetchMoreResult }) => ({ outbox: { ...fetchMoreResult.outbox, edges: [...prev.outbox.edges, ...fetchMoreResult.outbox.edges] } }) })}>
                  Load older messages
                </button>
              </div>
            )}
          </>
        )}
      </section>
    </div>
  );
}
