import type { EnvironmentKind } from './enums';
import type { FieldError } from './error-codes';

/** The events a webhook endpoint can subscribe to (contract §5.2). */
export const WEBHOOK_EVENTS = [
  'authentication.sso_started', 'authentication.sso_succeeded', 'authentication.sso_failed', 'authentication.sso_timed_out',
  'connection.activated', 'connection.deactivated', 'connection.deleted', 'connection.saml_certificate_renewal_required', 'connection.saml_certificate_renewed',
  'dsync.activated', 'dsync.deleted', 'dsync.user.created', 'dsync.user.updated', 'dsync.user.deleted',
  'dsync.group.created', 'dsync.group.updated', 'dsync.group.deleted', 'dsync.group.user_added', 'dsync.group.user_removed',
  'organization.created', 'organization.updated', 'organization.deleted',
  'organization_domain.created', 'organization_domain.updated', 'organization_domain.deleted', 'organization_domain.verified', 'organization_domain.verification_failed',
] as const;

export type WebhookEventName = (typeof WEBHOOK_EVENTS)[number];

/** Why `url` can't be a webhook endpoint; the rules of redirect URIs, without wildcards: https in Production. */
export function webhookUrlProblems(url: string, environment: EnvironmentKind, field = 'endpointUrl'): FieldError[] {
  const problem = (code: string, message: string): FieldError[] => [{ field, code, message }];
  const trimmed = url.trim();
  if (!trimmed) return problem('required', 'Enter the URL Portico should POST events to.');
  if (trimmed.length > 2000) return problem('too_long', 'Use at most 2,000 characters.');
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return problem('invalid_url', 'Enter an absolute https:// URL, e.g. https://app.example.com/webhooks/portico.');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return problem('invalid_url', 'A webhook URL starts with https:// (or http:// in Staging).');
  if (environment === 'PRODUCTION' && parsed.protocol !== 'https:') return problem('https_required', 'Production webhook endpoints must use https://.');
  if (trimmed.includes('*')) return problem('wildcard', 'A webhook URL cannot contain a wildcard.');
  if (parsed.hash) return problem('fragment', 'A webhook URL cannot have a #fragment.');
  if (parsed.username || parsed.password) return problem('credentials', 'Put no user name or password in the URL; verify the WorkOS-Signature header instead.');
  return [];
}

/** The subscribed event names that are not events Portico sends. */
export function unknownWebhookEvents(events: string[]): string[] {
  const known = new Set<string>(WEBHOOK_EVENTS);
  return events.filter((e) => !known.has(e));
}
