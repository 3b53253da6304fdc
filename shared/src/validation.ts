import type { FieldError } from './error-codes';

/** The password policy, stated in the sign-up form and enforced by the server. */
export const PASSWORD_POLICY = {
  minLength: 12,
  maxLength: 256,
  summary: 'At least 12 characters. Long passphrases are welcome; it must not contain your email address.',
} as const;

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/;

/** Lower-cases and trims an email address so the same mailbox always compares equal. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** True for an address of the form local@domain.tld, at most 254 characters (RFC 5321). */
export function isValidEmail(email: string): boolean {
  return email.length <= 254 && EMAIL.test(email);
}

/** True for an absolute http(s) URL: the only schemes Portico sends a browser to (never javascript:, data: …). */
export function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

/** The rules a password breaks, empty when it meets the policy. */
export function passwordProblems(password: string, email?: string): FieldError[] {
  const problems: FieldError[] = [];
  if (password.length < PASSWORD_POLICY.minLength) {
    problems.push({ field: 'password', code: 'too_short', message: `Use at least ${PASSWORD_POLICY.minLength} characters.` });
  }
  if (password.length > PASSWORD_POLICY.maxLength) {
    problems.push({ field: 'password', code: 'too_long', message: `Use at most ${PASSWORD_POLICY.maxLength} characters.` });
  }
  const local = email ? normalizeEmail(email).split('@')[0] : '';
  if (local.length >= 3 && password.toLowerCase().includes(local)) {
    problems.push({ field: 'password', code: 'contains_email', message: 'Do not include your email address.' });
  }
  return problems;
}

/** Mailbox providers whose domains can't identify an organization. */
export const CONSUMER_EMAIL_DOMAINS = new Set([
  'gmail.com', 'googlemail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'live.com', 'msn.com', 'icloud.com', 'me.com',
  'aol.com', 'proton.me', 'protonmail.com', 'gmx.com', 'gmx.de', 'yandex.com', 'mail.com', 'zoho.com', 'fastmail.com',
]);

const DOMAIN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Lower-cases and trims a domain; strips a trailing dot. */
export function normalizeDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/\.$/, '');
}

/** Why `domain` can't be an organization's domain; empty when it can. `field` names the input. */
export function domainProblems(domain: string, field = 'domain'): FieldError[] {
  const normalized = normalizeDomain(domain);
  if (!normalized) return [{ field, code: 'required', message: 'Enter a domain, e.g. example.com.' }];
  if (!DOMAIN.test(normalized)) return [{ field, code: 'invalid_domain', message: `"${domain.trim()}" is not a domain name like example.com.` }];
  if (CONSUMER_EMAIL_DOMAINS.has(normalized)) {
    return [{ field, code: 'consumer_domain', message: `${normalized} is a public email provider; it can't identify one organization.` }];
  }
  return [];
}
