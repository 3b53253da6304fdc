import { fireEvent, screen } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { renderScreen } from '../../../test/render-screen';
import { ConfirmSignUpMutation } from '../api/mutations';
import { ConfirmSignUpPage } from './confirm-sign-up-page';

const routes = (
  <Routes>
    <Route path="/confirm-sign-up" element={<ConfirmSignUpPage />} />
    <Route path="/" element={<h1>Staging overview</h1>} />
  </Routes>
);

const PASSWORD = 'a long enough passphrase';
const request = (password = PASSWORD) => ({ query: ConfirmSignUpMutation, variables: { token: 'tok', password } });
const confirmed = { request: request(), result: { data: { confirmSignUp: { __typename: 'Viewer', user: { __typename: 'User', id: 'user_1', theme: 'SYSTEM' } } } } };
const refused = (code: string, reason?: string) => ({
  request: request(),
  result: { errors: [{ message: 'refused', extensions: { code, ...(reason ? { reason } : {}) } }] },
});

function submit(password = PASSWORD) {
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Create my account' }));
}

describe('Confirm sign-up page', () => {
  it('asks for the password chosen at sign-up before creating anything, then lands in the dashboard', async () => {
    // No mock is used until the form is sent: opening the link alone calls nothing (MockedProvider would fail on an unexpected call).
    renderScreen(routes, { path: '/confirm-sign-up?token=tok', mocks: [confirmed] });
    expect(screen.getByRole('heading', { name: 'Finish creating your account' })).toBeTruthy();
    expect(screen.getByText('Enter the password you chose to finish creating your account.')).toBeTruthy();
    expect(screen.getByText('Didn’t sign up? Ignore this — nothing is created without your password.')).toBeTruthy();
    expect((screen.getByLabelText('Password') as HTMLInputElement).type).toBe('password');
    submit();
    expect(await screen.findByRole('heading', { name: 'Staging overview' })).toBeTruthy();
  });

  it('shows a wrong password beside the field and lets the person try again', async () => {
    renderScreen(routes, {
      path: '/confirm-sign-up?token=tok',
      mocks: [{
        request: request('not it at all'),
        result: { errors: [{ message: "password: This isn't the password you chose when you signed up", extensions: { code: 'BAD_USER_INPUT', details: [{ field: 'password', code: 'wrong_password', message: "This isn't the password you chose when you signed up" }] } }] },
      }, confirmed],
    });
    submit('not it at all');
    expect(await screen.findByText("This isn't the password you chose when you signed up")).toBeTruthy();
    expect(screen.getByText('Please correct the fields marked below.')).toBeTruthy();
    submit();
    expect(await screen.findByRole('heading', { name: 'Staging overview' })).toBeTruthy();
  });

  it.each([
    [refused('FORBIDDEN', 'sign_up_link_expired'), 'Sign-up link expired', 'Sign up again'],
    [refused('FORBIDDEN', 'sign_up_link_void'), 'Sign-up link no longer works', 'Sign up again'],
    [refused('FORBIDDEN', 'sign_up_link_used'), 'Account already created', 'Sign in'],
    [refused('NOT_FOUND'), 'Sign-up link not valid', 'Sign up again'],
    [refused('CONFLICT'), 'You already have an account', 'Sign in'],
  ])('explains a refused link and offers the way on (%#)', async (mock, title, action) => {
    renderScreen(routes, { path: '/confirm-sign-up?token=tok', mocks: [mock] });
    submit();
    expect(await screen.findByRole('heading', { name: title })).toBeTruthy();
    expect(screen.getByRole('link', { name: action })).toBeTruthy();
  });

  it('says an incomplete link is incomplete, without calling the server', () => {
    renderScreen(routes, { path: '/confirm-sign-up' });
    expect(screen.getByRole('heading', { name: 'Sign-up link incomplete' })).toBeTruthy();
  });
});
