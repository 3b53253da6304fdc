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
  const conditionsEnd = checkTimes(assertion, checks);
  const { inResponseTo, confirmationEnds } = checkSubjectConfirmation(assertion, checks);
  // The ID must be remembered for as long as the assertion could be accepted again: until the latest NotOnOrAfter it
  // carries (plus the skew). There is always one: checkSubjectConfirmation requires it on a bearer confirmation.
  const ends = [conditionsEnd, ...confirmationEnds].filter((t): t is number => t !== null);
  return { issuer, assertionId: assertion.getAttribute('ID') ?? '', assertionExpiresAt: new Date(Math.max(...ends) + checks.skewSeconds * 1000), inResponseTo };
}

const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?$/;

/**
 * An xs:dateTime attribute of the assertion, in ms; null when absent. Refuses a value that is not one: Date.parse
 * answers NaN for it, and every comparison with NaN is false, so a garbage NotOnOrAfter was an assertion that never
 * expires (and an Invalid Date to remember). A time without a zone is UTC, as SAML requires of all its times.
 */
function timeOf(element: Element | null, attribute: string): number | null {
  if (!element || !element.hasAttribute(attribute)) return null;
  const value = element.getAttribute(attribute) ?? '';
  const ms = DATE_TIME.test(value) ? Date.parse(/(?:Z|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value}Z`) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new SamlError({ reason: 'invalid_response', message: `The ${element.localName} ${attribute} is not a date and time (xs:dateTime, UTC)`, expected: 'an xs:dateTime such as 2026-01-01T12:00:00Z', received: value.slice(0, 100) });
  }
  return ms;
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

/** Refuses an assertion outside its Conditions' window; answers its NotOnOrAfter (ms), null when it has none. */
function checkTimes(assertion: Element, checks: ClaimChecks): number | null {
  const conditions = firstChild(assertion, NS.assertion, 'Conditions');
  const notBeforeMs = timeOf(conditions, 'NotBefore');
  const notOnOrAfterMs = timeOf(conditions, 'NotOnOrAfter');
  const notBefore = conditions?.getAttribute('NotBefore') || null;
  const notOnOrAfter = conditions?.getAttribute('NotOnOrAfter') || null;
  const skewMs = checks.skewSeconds * 1000;
  const now = checks.now.getTime();
  // Built only for a refusal: a valid assertion costs two Date.parse, not a formatted report.
  const times = () => ({ now: checks.now.toISOString(), notBefore, notOnOrAfter, clockSkewSeconds: checks.skewSeconds });
  if (notBeforeMs !== null && now + skewMs < notBeforeMs) {
    const early = Math.round((notBeforeMs - now) / 1000);
    throw new SamlError({ reason: 'not_yet_valid', message: `The assertion is not valid yet: it starts ${early} s from now (clocks out of sync?)`, expected: `at or after ${notBefore}`, received: times().now, details: times() });
  }
  if (notOnOrAfterMs !== null && now - skewMs >= notOnOrAfterMs) {
    const late = Math.round((now - notOnOrAfterMs) / 1000);
    throw new SamlError({ reason: 'expired', message: `The assertion expired ${late} s ago`, expected: `before ${notOnOrAfter}`, received: times().now, details: times() });
  }
  return notOnOrAfterMs;
}

/**
 * Checks the bearer confirmations (SAML 2.0 Profiles §4.1.4.2–4.1.4.3, Web Browser SSO): the assertion must carry at
 * least one bearer SubjectConfirmation whose SubjectConfirmationData has a Recipient (this connection's ACS URL) and
 * a NotOnOrAfter (the delivery window). Without them an assertion captured on its way to another SP, or long ago,
 * would be accepted here. Every bearer confirmation present is checked: no real IdP sends a second one that points
 * elsewhere or has expired, so one that does is refused rather than skipped. Answers the InResponseTo claimed and
 * the confirmations' NotOnOrAfter (ms).
 */
function checkSubjectConfirmation(assertion: Element, checks: ClaimChecks): { inResponseTo: string | null; confirmationEnds: number[] } {
  const subject = firstChild(assertion, NS.assertion, 'Subject');
  const confirmations = subject ? childElements(subject, NS.assertion, 'SubjectConfirmation').filter((c) => c.getAttribute('Method') === BEARER) : [];
  const data = confirmations.map((c) => firstChild(c, NS.assertion, 'SubjectConfirmationData')).filter((d): d is Element => !!d);
  const confirmationEnds: number[] = [];
  for (const d of data) {
    const recipient = d.getAttribute('Recipient');
    if (recipient && recipient !== checks.acsUrl) {
      throw new SamlError({ reason: 'invalid_recipient', message: 'The assertion was issued for another ACS URL', expected: checks.acsUrl, received: recipient });
    }
    const until = d.getAttribute('NotOnOrAfter');
    const untilMs = timeOf(d, 'NotOnOrAfter');
    if (untilMs !== null) confirmationEnds.push(untilMs);
    if (untilMs !== null && checks.now.getTime() - checks.skewSeconds * 1000 >= untilMs) {
      throw new SamlError({ reason: 'expired', message: 'The assertion’s subject confirmation has expired', expected: `before ${until}`, received: checks.now.toISOString(), details: { subjectNotOnOrAfter: until, clockSkewSeconds: checks.skewSeconds } });
    }
  }
  requireBearerConfirmation(confirmations.length, data, checks.acsUrl);
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
  return { inResponseTo: claimed[0] ?? null, confirmationEnds };
}

/** Profiles §4.1.4.2: a bearer confirmation with Recipient and NotOnOrAfter (their values were checked above). */
function requireBearerConfirmation(bearers: number, data: Element[], acsUrl: string): void {
  if (data.some((d) => d.getAttribute('Recipient') && d.hasAttribute('NotOnOrAfter'))) return;
  const missing = !bearers ? 'a bearer SubjectConfirmation' : !data.length ? 'SubjectConfirmationData in its bearer SubjectConfirmation'
    : data.some((d) => d.getAttribute('Recipient')) ? 'NotOnOrAfter on its bearer SubjectConfirmationData' : 'Recipient on its bearer SubjectConfirmationData';
  throw new SamlError({
    reason: 'missing_subject_confirmation',
    message: `The assertion has no ${missing}: the Web Browser SSO profile requires one naming this ACS URL as Recipient, with a NotOnOrAfter`,
    expected: `SubjectConfirmation Method="${BEARER}" with SubjectConfirmationData Recipient="${acsUrl}" NotOnOrAfter="…"`,
    received: !bearers ? null : data.map((d) => `SubjectConfirmationData${['Recipient', 'NotOnOrAfter', 'InResponseTo'].filter((a) => d.hasAttribute(a)).map((a) => ` ${a}="${(d.getAttribute(a) ?? '').slice(0, 200)}"`).join('')}`).join(', ') || 'bearer SubjectConfirmation without SubjectConfirmationData',
  });
}
