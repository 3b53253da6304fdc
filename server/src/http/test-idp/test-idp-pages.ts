import type { Response } from 'express';
import type { TestIdpScenario, TestUser } from '../../modules/test-idp/test-idp-response';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * Styles and script come from Portico's own files (CSP: no inline script or style). Referrer-Policy same-origin, not
 * no-referrer: the SAMLRequest in the URL never leaves Portico, and the form's post still carries its real Origin.
 */
const CSP = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

function page(res: Response, status: number, title: string, body: string): void {
  res.status(status).set({ 'Content-Security-Policy': CSP, 'Cache-Control': 'no-store', 'Referrer-Policy': 'same-origin' }).type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark"><title>${escape(title)} · Portico Test IdP</title>
<link rel="stylesheet" href="/test-idp/assets/test-idp.css"><script src="/test-idp/assets/test-idp.js" defer></script></head>
<body><main class="frame">
<header class="brand"><span class="logo" aria-hidden="true">P</span><span>Portico <strong>Test Identity Provider</strong></span></header>
${body}
</main></body></html>`);
}

/** A refusal: unknown environment, Production, turned off, a request from another connection. */
export function sendTestIdpRefusal(res: Response, status: number, title: string, message: string): void {
  page(res, status, title, `<section class="card"><h1>${escape(title)}</h1><p>${escape(message)}</p></section>`);
}

export interface LoginPageInput {
  environmentName: string;
  organizationName: string;
  respondUrl: string;
  /** The sealed token bound to this browser and this request (test-idp-form-token.ts). */
  formToken: string;
  samlRequest: string | null;
  relayState: string | null;
  users: TestUser[];
  selectedEmail?: string;
  typedEmail?: string;
  emailError?: string;
}

const ERROR_SCENARIOS: { scenario: TestIdpScenario; label: string; outcome: string }[] = [
  { scenario: 'outside_domain', label: 'User outside the organization', outcome: 'Profile Not Allowed Outside Organization' },
  { scenario: 'missing_attributes', label: 'Missing attributes', outcome: 'Invalid Attributes' },
  { scenario: 'wrong_certificate', label: 'Wrong certificate', outcome: 'Invalid X509 Certificate' },
  { scenario: 'expired', label: 'Expired response', outcome: 'Malformed SAML Response' },
  { scenario: 'malformed', label: 'Malformed response', outcome: 'Malformed SAML Response' },
  { scenario: 'wrong_encryption', label: 'Encrypted to the wrong key', outcome: 'Decryption Failed' },
];

/** The login page: pick or type a user, then sign in or produce one of the dashboard's errors on purpose. */
export function sendLoginPage(res: Response, input: LoginPageInput, status = 200): void {
  const selected = input.typedEmail ? null : input.selectedEmail ?? input.users[0]?.email;
  const users = input.users.map((u, i) => `<label class="user"><input type="radio" name="user" value="${escape(u.email)}"${u.email === selected ? ' checked' : ''}${i === 0 ? ' id="first-user"' : ''}>
    <span class="avatar" aria-hidden="true">${escape(u.firstName[0] ?? '?')}</span><span><span class="name">${escape(`${u.firstName} ${u.lastName}`)}</span><span class="email">${escape(u.email)}</span></span></label>`).join('');
  const sp = input.samlRequest !== null;
  const hidden = [`<input type="hidden" name="form_token" value="${escape(input.formToken)}">`, sp ? `<input type="hidden" name="SAMLRequest" value="${escape(input.samlRequest!)}">` : '', input.relayState ? `<input type="hidden" name="RelayState" value="${escape(input.relayState)}">` : ''].join('');
  const errorButtons = ERROR_SCENARIOS.map((s) => `<button class="btn" type="submit" name="scenario" value="${s.scenario}"><span>${escape(s.label)}</span><span class="outcome">${escape(s.outcome)}</span></button>`).join('');
  page(res, status, 'Sign in', `<section class="card">
<h1>Sign in to ${escape(input.organizationName)}</h1>
<p class="muted">${sp ? 'An application asked this test identity provider to sign someone in.' : 'No sign-in request: this starts an IdP-initiated sign-in.'} Environment: ${escape(input.environmentName)}. Nothing here is a real account.</p>
<form method="post" action="${escape(input.respondUrl)}">${hidden}
<fieldset><legend>Who signs in</legend><div class="users">${users}</div>
<label class="field" for="email">Or type an email address</label>
<input class="input" id="email" name="email" type="email" autocomplete="off" placeholder="someone@example.com" value="${escape(input.typedEmail ?? '')}"${input.emailError ? ' aria-invalid="true" aria-describedby="email-error"' : ''}>
${input.emailError ? `<p class="error" id="email-error" role="alert">${escape(input.emailError)}</p>` : ''}
</fieldset>
<div class="actions">
${sp ? '<button class="btn btn-primary" type="submit" name="scenario" value="sign_in">Sign in</button>' : ''}
<button class="btn${sp ? '' : ' btn-primary'}" type="submit" name="scenario" value="idp_initiated">${sp ? 'Sign in IdP-initiated instead' : 'Sign in (IdP-initiated)'}</button>
</div>
<fieldset class="errors"><legend>Produce an error on purpose</legend><p class="muted">Each sends a response Portico must refuse, so you can see the error in the Sessions tab.</p><div class="error-grid">${errorButtons}</div></fieldset>
</form></section>`);
}

/** HTTP-POST binding: the response goes to Portico's ACS as a form the page submits itself (a button without script). */
export function sendAutoPost(res: Response, acsUrl: string, samlResponse: string, relayState: string | null): void {
  page(res, 200, 'Sending the response', `<section class="card"><h1>Sending the SAML response…</h1>
<form method="post" action="${escape(acsUrl)}" data-autosubmit>
<input type="hidden" name="SAMLResponse" value="${escape(samlResponse)}">${relayState ? `<input type="hidden" name="RelayState" value="${escape(relayState)}">` : ''}
<p class="muted">Your browser posts it to Portico's ACS, which checks it as it checks any identity provider's.</p>
<button class="btn btn-primary" type="submit">Continue</button></form></section>`);
}
