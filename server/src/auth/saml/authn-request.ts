import { inflateRawSync } from 'node:zlib';
import { SAML } from '@node-saml/node-saml';
import { isHttpUrl } from '@portico/shared';

export interface AuthnRequestInput {
  /** The IdP's SingleSignOnService URL (HTTP-Redirect binding). */
  idpSsoUrl: string;
  idpCertificates: string[];
  spEntityId: string;
  acsUrl: string;
  /** Portico's ID for the request, later matched against InResponseTo. Must start with a letter or underscore. */
  requestId: string;
  relayState?: string;
}

export interface AuthnRequest {
  /** Where to send the browser: the IdP's SSO URL with SAMLRequest (deflated, base64) and RelayState. */
  redirectUrl: string;
  requestId: string;
  /** The request as XML, kept on the session for the dashboard. */
  xml: string;
}

/** Builds an SP-initiated AuthnRequest for the HTTP-Redirect binding (deflated, as the binding requires). */
export async function createAuthnRequest(input: AuthnRequestInput): Promise<AuthnRequest> {
  if (!/^[A-Za-z_][\w.-]*$/.test(input.requestId)) throw new TypeError('requestId must be an XML ID (start with a letter or _)');
  // The browser is sent to this URL: never to a javascript: or data: one, whatever was stored.
  if (!isHttpUrl(input.idpSsoUrl)) throw new TypeError('idpSsoUrl must be an http(s) URL');
  const saml = new SAML({
    entryPoint: input.idpSsoUrl,
    issuer: input.spEntityId,
    callbackUrl: input.acsUrl,
    idpCert: input.idpCertificates,
    generateUniqueId: () => input.requestId,
    // Portico does not ask the IdP for a specific NameID format or authentication context: IdPs differ.
    identifierFormat: null,
    disableRequestedAuthnContext: true,
  });
  const redirectUrl = await saml.getAuthorizeUrlAsync(input.relayState ?? '', undefined, {});
  const encoded = new URL(redirectUrl).searchParams.get('SAMLRequest') ?? '';
  const xml = inflateRawSync(Buffer.from(encoded, 'base64')).toString('utf8');
  return { redirectUrl, requestId: input.requestId, xml };
}
