import { SamlError } from './saml-error';

/**
 * The one place that reads node-saml's (and xml-crypto's) message strings. Everything else branches on
 * SamlError reasons. `encrypted` says the response carried an EncryptedAssertion, which changes what a
 * parse or crypto failure means (a corrupt AES-CBC payload surfaces as an xmldom error).
 */
export function translateNodeSamlError(err: unknown, opts: { encrypted: boolean }): SamlError {
  if (err instanceof SamlError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: string }).code ?? '';

  if (opts.encrypted && (code.startsWith('ERR_OSSL') || /No decryption key|Unsupported state or unable to authenticate data|cant find encryption algorithm|Invalid EncryptedAssertion content|\[xmldom error\]|decrypt/i.test(message))) {
    return new SamlError({ reason: 'decryption_failed', message: 'The encrypted assertion could not be decrypted with the connection’s SP key', details: { cause: message } });
  }
  if (/multiple assertions/.test(message)) {
    return new SamlError({ reason: 'multiple_assertions', message: 'The response carries more than one assertion' });
  }
  if (/^Invalid (document )?signature|Invalid signature/.test(message)) {
    return new SamlError({ reason: 'signature_invalid', message: 'The signature does not verify: the response was altered after signing, or its signature does not cover the assertion' });
  }
  if (/Missing SAML assertion/.test(message)) {
    return new SamlError({ reason: 'missing_assertion', message: 'The response carries no assertion' });
  }
  const status = /Bad status code: (.*)$/s.exec(message);
  if (status) {
    return new SamlError({ reason: 'idp_error_status', message: 'The identity provider answered with an error status', received: status[1] });
  }
  if (/signature algorithm|SignatureMethod/i.test(message)) {
    return new SamlError({ reason: 'unsupported_signature_algorithm', message: 'The signature uses an algorithm Portico does not accept', details: { cause: message } });
  }
  if (/digest algorithm|DigestMethod/i.test(message)) {
    return new SamlError({ reason: 'unsupported_digest_algorithm', message: 'The signature uses a digest algorithm Portico does not accept', details: { cause: message } });
  }
  return new SamlError({ reason: 'invalid_response', message: 'The SAML response could not be validated', details: { cause: message } });
}
