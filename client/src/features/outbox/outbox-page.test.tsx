import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderScreen } from '../../test/render-screen';
import { OutboxPage } from './outbox-page';

describe('Dev outbox', () => {
  it('tells Support the outbox is for Admins, with nothing to retry', async () => {
    renderScreen(<OutboxPage />, { role: 'SUPPORT' });
    expect(await screen.findByRole('heading', { name: 'The dev outbox is for Admins' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Refresh' })).toBeNull();
  });
});
