import { SamlError } from './saml-error';
import { childElements, firstChild, NS, textOf } from './xml';

export interface AssertionClaims {
  issuer: string;
  assertionId: string;
  /** When the assertion stops being acceptable: how long its ID must be remembered to refuse a replay. */
  assertionExpiresAt: Date;
  inResponseTo: string | null;
}

interface ClaimChecks {
  idpEntityId: string;
  spEntityId: string;
  acsUrl: string;
  expectedInResponseTo: string | null;
  responseInResponseTo: string | null;
  now: Date;
  skewSeconds: number;
}

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

/**
 * Checks the verified assertion (the element whose signature was verified, never another copy) against the connection
 * and `now`. Comments in it were refused before its signature was verified (validateSamlResponse's checkSignatures),
 * so it is not walked again for them here.
 */
export function checkAssertionClaims(assertion: Element, checks: ClaimChecks): AssertionClaims {
  const issuer = textOf(firstChild(assertion, NS.assertion, 'Issuer'));
  if (issuer !== checks.idpEntityId) {
    throw new SamlError({ reason: 'invalid_issuer', message: 'The assertion comes from another identity provider', expected: checks.idpEntityId, received: issuer });
  }
  checkAudience(assertion, checks.spEntityId);
  const window = checkTimes(assertion, checks);
  const inResponseTo = checkSubjectConfirmation(assertion, checks);
  return { issuer, assertionId: assertion.getAttribute('ID') ?? '', assertionExpiresAt: window, inResponseTo };
}

function checkAudience(assertion: Element, spEntityId: string): void {
  const conditions = firstChild(assertion, NS.assertion, 'Conditions');
  const audiences = (conditions ? childElements(conditions, NS.assertion, 'AudienceRestriction') : [])
    .flatMap((r) => childElements(r, NS.assertion, 'Audience'))
    .map((a) => textOf(a));
  if (!audiences.includes(spEntityId)) {
    throw new SamlError({ reason: 'invalid_audience', message: 'The assertion is addressed to another service provider', expected: spEntityId, received: audiences.length ? audiences.join(', ') : null });
  }
}

function checkTimes(assertion: Element, checks: ClaimChecks): Date {
  const conditions = firstChild(assertion, NS.assertion, 'Conditions');
  const notBefore = conditions?.getAttribute('NotBefore') || null;
  const notOnOrAfter = conditions?.getAttribute('NotOnOrAfter') || null;
  const skewMs = checks.skewSeconds * 1000;
  const now = checks.now.getTime();
  // Built only for a refusal: a valid assertion costs two Date.parse, not a formatted report.
  const times = () => ({ now: checks.now.toISOString(), notBefore, notOnOrAfter, clockSkewSeconds: checks.skewSeconds });
  if (notBefore && now + skewMs < Date.parse(notBefore)) {
    const early = Math.round((Date.parse(notBefore) - now) / 1000);
    throw new SamlError({ reason: 'not_yet_valid', message: `The assertion is not valid yet: it starts ${early} s from now (clocks out of sync?)`, expected: `at or after ${notBefore}`, received: times().now, details: times() });
  }
  if (notOnOrAfter && now - skewMs >= Date.parse(notOnOrAfter)) {
    const late = Math.round((now - Date.parse(notOnOrAfter)) / 1000);
    throw new SamlError({ reason: 'expired', message: `The assertion expired ${late} s ago`, expected: `before ${notOnOrAfter}`, received: times().now, details: times() });
  }
  return new Date((notOnOrAfter ? Date.parse(notOnOrAfter) : now + 5 * 60_000) + skewMs);
}

function checkSubjectConfirmation(assertion: Element, checks: ClaimChecks): string | null {
  const subject = firstChild(assertion, NS.assertion, 'Subject');
  const confirmations = subject ? childElements(subject, NS.assertion, 'SubjectConfirmation').filter((c) => c.getAttribute('Method') === BEARER) : [];
  const data = confirmations.map((c) => firstChild(c, NS.assertion, 'SubjectConfirmationData')).filter((d): d is Element => !!d);
  for (const d of data) {
    const recipient = d.getAttribute('Recipient');
    if (recipient && recipient !== checks.acsUrl) {
      throw new SamlError({ reason: 'invalid_recipient', message: 'The assertion was issued for another ACS URL', expected: checks.acsUrl, received: recipient });
    }
    const until = d.getAttribute('NotOnOrAfter');
    if (until && checks.now.getTime() - checks.skewSeconds * 1000 >= Date.parse(until)) {
      throw new SamlError({ reason: 'expired', message: 'The assertion’s subject confirmation has expired', expected: `before ${until}`, received: checks.now.toISOString(), details: { subjectNotOnOrAfter: until, clockSkewSeconds: checks.skewSeconds } });
    }
  }
  const claimed = [checks.responseInResponseTo, ...data.map((d) => d.getAttribute('InResponseTo') || null)].filter((v): v is string => !!v);
  const mismatch = checks.expectedInResponseTo === null ? claimed[0] : claimed.find((v) => v !== checks.expectedInResponseTo);
  if (mismatch !== undefined || (checks.expectedInResponseTo !== null && !claimed.length)) {
    throw new SamlError({
      reason: 'invalid_in_response_to',
      message: checks.expectedInResponseTo ? 'The response does not answer the sign-in request Portico sent' : 'An IdP-initiated response claims to answer a request Portico did not send',
      expected: checks.expectedInResponseTo,
      received: mismatch ?? null,
    });
  }
  return claimed[0] ?? null;
}
