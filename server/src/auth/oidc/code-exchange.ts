import type { Configuration } from 'openid-client' with { 'resolution-mode': 'import' };
import { loadOpenidClient } from './esm';
import { OidcError } from './oidc-error';
import { translateOpenidClientError } from './openid-client-errors';

/** The IdP's answer at Portico's callback, and what this sign-in expects of it. */
export interface CodeCallback {
  callbackUrl: string;
  /** The callback's query, or Apple's posted form. */
  params: URLSearchParams;
  state: string;
  nonce: string;
  codeVerifier: string;
  now: Date;
  clockSkewSeconds: number;
}

const REDACTED = '[redacted]';

/**
 * The part of every callback that OAuth providers and OIDC connections share: an error the IdP sent back or a missing
 * code is refused with its reason, the code is redeemed with PKCE and the state checked (and, for OpenID, the nonce
 * and the presence of an ID token), and the token response is kept for Session Details with its tokens redacted.
 */
export async function redeemCode(configure: () => Promise<Configuration>, cb: CodeCallback, o: { idp: string; openid: boolean; ignoreParams?: string[] }) {
  const oc = await loadOpenidClient();
  if (cb.params.get('error')) throw translateOpenidClientError(Object.assign(new Error(`${o.idp} error`), { name: 'AuthorizationResponseError', error: cb.params.get('error'), error_description: cb.params.get('error_description') }));
  if (!cb.params.get('code')) throw new OidcError({ reason: 'missing_code', message: `${o.idp} sent the user back without a code` });
  // Configured only now: an error the IdP sent back is reported as such, whatever its discovery document would do.
  const config = await configure();
  const current = new URL(cb.callbackUrl);
  for (const [key, value] of cb.params) if (!o.ignoreParams?.includes(key)) current.searchParams.append(key, value);
  let response;
  try {
    response = await oc.authorizationCodeGrant(config, current, { pkceCodeVerifier: cb.codeVerifier, expectedState: cb.state, ...(o.openid ? { expectedNonce: cb.nonce, idTokenExpected: true } : {}) });
  } catch (err) {
    throw translateOpenidClientError(err);
  }
  const exchange: Record<string, unknown> = {
    token_response: { ...response, access_token: REDACTED, ...(response.refresh_token ? { refresh_token: REDACTED } : {}), ...(response.id_token ? { id_token: REDACTED } : {}) },
  };
  return { response, exchange, config };
}
