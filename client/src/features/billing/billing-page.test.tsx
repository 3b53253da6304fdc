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

  it('marks every required field on an empty submit, the address as well as the card', async () => {
    renderScreen(<BillingPage />, { mocks: [noBilling] });
    fireEvent.click(await screen.findByRole('button', { name: 'Save and unlock Production' }));
    for (const label of ['Company name', 'Address', 'City', 'Postal code', 'Card number', 'Expiry (MM/YYYY)', 'Security code']) {
      expect(screen.getByLabelText(label).getAttribute('aria-invalid')).toBe('true');
    }
    expect(screen.getByText('Company name is required.')).toBeTruthy();
    expect(screen.getByLabelText('Address line 2 (optional)').getAttribute('aria-invalid')).toBeNull();
  });

  it('prefills the Update form with the saved address, leaving the card to retype', async () => {
    const saved = { __typename: 'Billing', companyName: 'Acme Corp', addressLine1: '1 Main St', addressLine2: 'Floor 2', city: 'Springfield', postalCode: '12345', region: 'IL', country: 'CA', updatedAt: '2026-11-01T00:00:00.000Z', card: { __typename: 'BillingCard', brandLabel: 'Visa', last4: '4242', expMonth: 12, expYear: 2031 } };
    renderScreen(<BillingPage />, { mocks: [{ request: { query: BillingQuery }, result: { data: { viewer: { __typename: 'Viewer', workspace: { __typename: 'Workspace', id: 'workspace_1', billing: saved } } } } }] });
    fireEvent.click(await screen.findByRole('button', { name: 'Update' }));
    expect((screen.getByLabelText('Company name') as HTMLInputElement).value).toBe('Acme Corp');
    expect((screen.getByLabelText('Address') as HTMLInputElement).value).toBe('1 Main St');
    expect((screen.getByLabelText('Address line 2 (optional)') as HTMLInputElement).value).toBe('Floor 2');
    expect((screen.getByLabelText('City') as HTMLInputElement).value).toBe('Springfield');
    expect((screen.getByLabelText('Postal code') as HTMLInputElement).value).toBe('12345');
    expect((screen.getByLabelText('State or region (optional)') as HTMLInputElement).value).toBe('IL');
    expect((screen.getByLabelText('Country') as HTMLSelectElement).value).toBe('CA');
    expect((screen.getByLabelText('Card number') as HTMLInputElement).value).toBe('');
  });
});
