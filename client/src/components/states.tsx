import type { ReactNode } from 'react';
import { readError } from '../lib/errors';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const info = readError(error);
  // Trying again can't change a refusal: a retry button is offered only for errors that may pass.
  const forbidden = info?.code === 'FORBIDDEN';
  return (
    <div className="empty" role="alert">
      <h3>{forbidden ? 'You don’t have access to this' : 'This could not be loaded'}</h3>
      <p>{info?.message}</p>
      {onRetry && !forbidden && (
        <button className="btn" type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** `level` 2 when the state stands directly under the page's h1 (no card heading above it). */
export function EmptyState({ title, children, action, level = 3 }: { title: string; children?: ReactNode; action?: ReactNode; level?: 1 | 2 | 3 }) {
  const Heading = (['h1', 'h2', 'h3'] as const)[level - 1];
  return (
    <div className="empty">
      <Heading>{title}</Heading>
      {children && <p>{children}</p>}
      {action}
    </div>
  );
}

export function FormError({ error }: { error: unknown }) {
  const info = readError(error);
  if (!info) return null;
  const hasFieldErrors = Object.keys(info.fields).length > 0;
  return (
    <div className="alert alert-danger" role="alert">
      {hasFieldErrors ? 'Please correct the fields marked below.' : info.message}
    </div>
  );
}
