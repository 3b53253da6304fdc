import { useCallback, useEffect, useState } from 'react';

/** A portal API error: `{ code, message, errors: [{ field, code, message }] }` (server/src/http/portal). */
export class PortalError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly fields: Record<string, string> = {}) {
    super(message);
  }
}

/** Calls the portal's own JSON API; its only credential is the portal cookie (never the dashboard's). */
export async function portalApi<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/portal/api${path}`, { method, credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new PortalError(0, 'network', 'Could not reach the server. Check your connection and try again.');
  }
  const json = await res.json().catch(() => null);
  if (!res.ok) {
    const fields = Object.fromEntries(((json?.errors ?? []) as { field: string; message: string }[]).map((e) => [e.field, e.message]));
    throw new PortalError(res.status, json?.code ?? 'error', json?.message ?? 'Something went wrong. Try again.', fields);
  }
  return json as T;
}

/** GET with loading / error / reload, for the portal's pages. */
export function usePortalQuery<T>(path: string, { pollMs }: { pollMs?: number } = {}) {
  const [state, setState] = useState<{ data: T | null; error: PortalError | null; loading: boolean }>({ data: null, error: null, loading: true });
  const load = useCallback(() => {
    portalApi<T>('GET', path).then((data) => setState({ data, error: null, loading: false }), (error: PortalError) => setState((s) => ({ data: s.data, error, loading: false })));
  }, [path]);
  useEffect(() => {
    load();
    if (!pollMs) return undefined;
    const timer = setInterval(load, pollMs);
    return () => clearInterval(timer);
  }, [load, pollMs]);
  return { ...state, reload: load, setData: (data: T) => setState({ data, error: null, loading: false }) };
}

export type Intent = 'sso' | 'dsync' | 'domain_verification' | 'certificate_renewal';

export interface PortalContext {
  organization: { id: string; name: string };
  intent: Intent;
  expiresAt: string;
  branding: { name: string; logoUrl: string | null; brandColor: string | null };
  supportEmail: string | null;
  returnUrl: string | null;
  successUrl: string | null;
}

export interface Certificate { subject: string; issuer: string; fingerprintSha256: string; validFrom: string; validTo: string; lastUsedAt: string | null; signInsLast30Days: number }

export interface SsoSetup {
  connection: null | {
    id: string;
    state: 'draft' | 'validating' | 'active' | 'inactive';
    idp: IdpKey;
    connectionType: string;
    sp: { acsUrl: string; spEntityId: string; metadataUrl: string };
    attributeStatements: { field: string; names: string[]; nameId: boolean }[];
    idpEntityId: string | null;
    idpSsoUrl: string | null;
    idpMetadataUrl: string | null;
    certificates: Certificate[];
    /** OpenID Connect connections only: the redirect URI to register, and the IdP side as saved (the secret never comes back). */
    oidc: null | { redirectUri: string; discoveryUrl: string | null; issuer: string | null; clientId: string | null; clientSecretSet: boolean };
  };
}

export type IdpKey = 'okta' | 'entra' | 'google' | 'adfs' | 'onelogin' | 'jumpcloud' | 'pingone' | 'generic' | 'okta_oidc' | 'entra_oidc' | 'oidc';

export interface TestSignIn {
  id: string;
  state: 'STARTED' | 'AUTHORIZED' | 'SUCCESSFUL' | 'FAILED';
  connectionState: string;
  startedAt: string;
  email: string | null;
  profile: null | { id: string; idp_id: string; email: string; first_name: string; last_name: string; groups: string[]; connection_type: string; organization_id: string; raw_attributes: Record<string, unknown> };
  error: string | null;
  errorReason: string | null;
  errorMessage: string | null;
  errorDetails: Record<string, unknown> | null;
}

export interface PortalDomain {
  id: string;
  domain: string;
  state: 'pending' | 'verified' | 'failed';
  record: { type: 'TXT'; name: string; value: string } | null;
}

export interface DomainCheck {
  domain: PortalDomain;
  result: 'verified' | 'record_not_found' | 'token_mismatch' | 'lookup_failed';
  message: string | null;
  received: string[];
  completed: boolean;
}
