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
