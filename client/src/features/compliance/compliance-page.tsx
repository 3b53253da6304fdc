import { useQuery } from '@apollo/client/react';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { graphql } from '../../gql';

export const ComplianceQuery = graphql(`
  query ComplianceDocuments { viewer { workspace { id complianceDocuments { id title description fileName sizeBytes canDownload downloadUrl } } } }
`);

/** Workspace → Compliance: documents for customers' security reviews; only workspace Admins download them. */
export function CompliancePage() {
  const { data, loading, error, refetch } = useQuery(ComplianceQuery);
  const documents = data?.viewer?.workspace?.complianceDocuments;
  const canDownload = documents?.[0]?.canDownload ?? false;
  return (
    <div className="page">
      <div className="page-header"><div><h1>Compliance documents</h1><p>For your customers’ security and privacy reviews.</p></div></div>
      {!canDownload && documents && <div className="alert alert-info" role="status">Only workspace Admins can download compliance documents. Ask an Admin of your workspace for a copy.</div>}
      <section className="card" aria-label="Documents">
        {loading && !documents ? <Loading /> : error && !documents ? <ErrorState error={error} onRetry={() => refetch()} /> : !documents?.length ? <EmptyState title="No documents" /> : (
          <table className="table">
            <thead><tr><th scope="col">Document</th><th scope="col">Format</th><th scope="col"><span className="visually-hidden">Download</span></th></tr></thead>
            <tbody>
              {documents.map((d) => (
                <tr key={d.id}>
                  <td><strong>{d.title}</strong><div className="subtle">{d.description}</div></td>
                  <td className="muted">PDF · {Math.max(1, Math.round(d.sizeBytes / 1024))} KB</td>
                  <td className="actions">
                    {d.canDownload
                      ? <a className="btn btn-sm" href={d.downloadUrl} download={d.fileName}>Download</a>
                      : <span className="subtle">Admins only</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
