import { screen } from '@testing-library/react';
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

const refused = (code: string, reason?: string) => ({
  request: { query: ConfirmSignUpMutation, variables: { token: 'tok' } },
  result: { errors: [{ message: 'refused', extensions: { code, ...(reason ? { reason } : {}) } }] },
});

describe('Confirm sign-up page', () => {
  it('confirms the emailed link once and lands in the dashboard', async () => {
    renderScreen(routes, {
      path: '/confirm-sign-up?token=tok',
      mocks: [{ request: { query: ConfirmSignUpMutation, variables: { token: 'tok' } }, result: { data: { confirmSignUp: { __typename: 'Viewer', user: { __typename: 'User', id: 'user_1', theme: 'SYSTEM' } } } } }],
    });
    expect(screen.getByRole('heading', { name: 'Creating your account…' })).toBeTruthy();
    expect(await screen.findByRole('heading', { name: 'Staging overview' })).toBeTruthy();
  });

  it.each([
    [refused('FORBIDDEN', 'sign_up_link_expired'), 'Sign-up link expired', 'Sign up again'],
    [refused('FORBIDDEN', 'sign_up_link_used'), 'Account already created', 'Sign in'],
    [refused('NOT_FOUND'), 'Sign-up link not valid', 'Sign up again'],
    [refused('CONFLICT'), 'You already have an account', 'Sign in'],
  ])('explains a refused link and offers the way on (%#)', async (mock, title, action) => {
    renderScreen(routes, { path: '/confirm-sign-up?token=tok', mocks: [mock] });
    expect(await screen.findByRole('heading', { name: title })).toBeTruthy();
    expect(screen.getByRole('link', { name: action })).toBeTruthy();
  });

  it('says an incomplete link is incomplete, without calling the server', () => {
    renderScreen(routes, { path: '/confirm-sign-up' });
    expect(screen.getByRole('heading', { name: 'Sign-up link incomplete' })).toBeTruthy();
  });
});
