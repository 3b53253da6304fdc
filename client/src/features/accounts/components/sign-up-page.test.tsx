import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderScreen } from '../../../test/render-screen';
import { SignUpMutation } from '../api/mutations';
import { SignUpPage } from './sign-up-page';

const input = { name: 'Grace Hopper', email: 'grace@navy.mil', password: 'a long enough passphrase', workspaceName: 'Navy' };

function fill() {
  fireEvent.change(screen.getByLabelText('Your name'), { target: { value: input.name } });
  fireEvent.change(screen.getByLabelText('Work email'), { target: { value: input.email } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: input.password } });
  fireEvent.change(screen.getByLabelText('Workspace name'), { target: { value: input.workspaceName } });
  fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
}

describe('Sign-up page', () => {
  it('answers every accepted sign-up with "check your email", saying where the link is without a mail server', async () => {
    renderScreen(<SignUpPage />, {
      path: '/sign-up',
      mocks: [{ request: { query: SignUpMutation, variables: { input } }, result: { data: { signUp: { __typename: 'SignUpRequested', email: input.email, linkValidForHours: 24 } } } }],
    });
    fill();
    expect(await screen.findByRole('heading', { name: 'Check your email' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('We sent an email to grace@navy.mil. Open the link in it within 24 hours');
    expect(screen.getByText(/the link is printed in Portico’s console log/)).toBeTruthy();
    expect(screen.queryByLabelText('Password')).toBeNull();
  });

  it('shows a weak password at once, beside the field', async () => {
    renderScreen(<SignUpPage />, {
      path: '/sign-up',
      mocks: [{
        request: { query: SignUpMutation, variables: { input } },
        result: { errors: [{ message: 'password: Use at least 12 characters', extensions: { code: 'BAD_USER_INPUT', details: [{ field: 'password', code: 'passwordPolicy', message: 'Use at least 12 characters' }] } }] },
      }],
    });
    fill();
    expect(await screen.findByText('Use at least 12 characters')).toBeTruthy();
    expect(screen.getByText('Please correct the fields marked below.')).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Check your email' })).toBeNull();
  });
});
