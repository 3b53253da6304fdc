import { render, screen } from '@testing-library/react';
import { CombinedGraphQLErrors } from '@apollo/client';
import { describe, expect, it } from 'vitest';
import { ErrorState } from './states';

const graphqlError = (code: string, message: string) => new CombinedGraphQLErrors({ errors: [{ message, extensions: { code } }] });

describe('ErrorState', () => {
  it('offers no retry for a refusal, which trying again can’t change', () => {
    render(<ErrorState error={graphqlError('FORBIDDEN', 'Only Admins can read the dev outbox')} onRetry={() => undefined} />);
    expect(screen.getByRole('heading', { name: 'You don’t have access to this' })).toBeTruthy();
    expect(screen.getByText('Only Admins can read the dev outbox')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
  });

  it('offers a retry for an error that may pass', () => {
    render(<ErrorState error={graphqlError('INTERNAL_SERVER_ERROR', 'Unexpected error')} onRetry={() => undefined} />);
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});
