import type { ReactNode } from 'react';
import { CopyButton } from '../../components/copy-button';
import { formatDateTime } from '../../lib/format';

type Json = Record<string, unknown>;

const text = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));
/** The ID token's times are seconds since 1970: shown as dates beside their numbers. */
const TIME_CLAIMS = new Set(['iat', 'exp', 'nbf', 'auth_time']);

function Pairs({ rows, caption }: { rows: [string, unknown][]; caption: string }) {
  if (!rows.length) return <p className="muted">None.</p>;
  return (
    <table className="table">
      <caption className="visually-hidden">{caption}</caption>
      <thead><tr><th scope="col">Name</th><th scope="col">Value</th></tr></thead>
      <tbody>
        {rows.map(([name, value]) => (
          <tr key={name}>
            <td className="mono">{name}</td>
            <td className="mono" style={{ overflowWrap: 'anywhere' }}>
              {value === '[redacted]' ? <span className="muted">[redacted]</span> : text(value)}
              {TIME_CLAIMS.has(name) && typeof value === 'number' && <span className="subtle" style={{ display: 'block' }}>{formatDateTime(new Date(value * 1000).toISOString())}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Part({ id, title, description, copy, children }: { id: string; title: string; description: string; copy?: unknown; children: ReactNode }) {
  return (
    <section className="card" aria-labelledby={id}>
      <div className="card-header">
        <div><h2 id={id}>{title}</h2><p>{description}</p></div>
        {copy !== undefined && <CopyButton value={JSON.stringify(copy, null, 2)} label={title} />}
      </div>
      <div className="card-body stack">{children}</div>
    </section>
  );
}

/**
 * An OAuth/OIDC attempt's raw exchange as Portico recorded it: the authorization request (state and nonce redacted),
 * the token response (tokens redacted), the ID token's header and claims, or GitHub's user API answers.
 */
export function OAuthExchange({ exchange, state }: { exchange: Json | null | undefined; state: string }) {
  if (!exchange) return <section className="card"><div className="card-body muted">{state === 'STARTED' ? 'No answer from the provider yet.' : 'The raw exchange is not kept for this attempt.'}</div></section>;
  const request = exchange.authorization_request as { url?: string; params?: Json } | undefined;
  const token = exchange.token_response as Json | undefined;
  const header = exchange.id_token_header as Json | undefined;
  const claims = exchange.id_token_claims as Json | undefined;
  const userInfo = exchange.user_info as Json | undefined;
  return (
    <>
      {request && (
        <Part id="oauth-request-title" title="Authorization request" description="Where Portico sent the user, with these parameters (the one-time state and nonce are redacted)." copy={request}>
          <dl className="kv"><dt>Endpoint</dt><dd className="mono" style={{ overflowWrap: 'anywhere' }}>{request.url}</dd></dl>
          <Pairs rows={Object.entries(request.params ?? {})} caption="Authorization request parameters" />
        </Part>
      )}
      {token && (
        <Part id="oauth-token-title" title="Token response" description="The provider’s answer to the code exchange. Access, refresh and ID tokens are never stored here: they are redacted." copy={token}>
          <Pairs rows={Object.entries(token)} caption="Token response fields" />
        </Part>
      )}
      {claims && (
        <Part id="oauth-claims-title" title="ID token" description="The claims of the ID token Portico verified, and its header." copy={{ header, claims }}>
          {header && <dl className="kv"><dt>Algorithm</dt><dd className="mono">{text(header.alg)}</dd><dt>Key ID</dt><dd className="mono">{text(header.kid)}</dd></dl>}
          <Pairs rows={Object.entries(claims)} caption="ID token claims" />
        </Part>
      )}
      {userInfo && (
        <Part id="oauth-user-title" title="User API" description="What the provider’s user API answered (GitHub has no ID token)." copy={userInfo}>
          <pre className="xml" tabIndex={0} aria-label="User API answer">{JSON.stringify(userInfo, null, 2)}</pre>
        </Part>
      )}
    </>
  );
}
