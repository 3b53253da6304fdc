import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderScreen } from '../../test/render-screen';
import { BillingPage, BillingQuery } from './billing-page';

const noBilling = { request: { query: BillingQuery }, result: { data: { viewer: { __typename: 'Viewer', workspace: { __typename: 'Workspace', id: 'workspace_1', billing: null } } } } };

describe('Billing page', () => {
  it('tells a Developer that only Admins manage billing, and that Production stays locked', async () => {
    renderScreen(<BillingPage />, { role: 'DEVELOPER' });
    expect(await screen.findByRole('heading', { name: 'Only Admins manage billing' })).toBeTruthy();
    expect(screen.getByText(/Production is locked/)).toBeTruthy();
  });

  it('explains a mistyped card number before anything is sent', async () => {
    renderScreen(<BillingPage />, { mocks: [noBilling] });
    fireEvent.change(await screen.findByLabelText('Card number'), { target: { value: '4242 4242 4242 4241' } });
    fireEvent.change(screen.getByLabelText('Expiry (MM/YYYY)'), { target: { value: '12/2031' } });
    fireEvent.change(screen.getByLabelText('Security code'), { target: { value: '123' } });
    expect(screen.getByText('Visa')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save and unlock Production' }));
    expect(await screen.findByText('This card number has a typo (its check digit is wrong).')).toBeTruthy();
  });
});
