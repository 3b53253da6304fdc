import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderScreen } from '../../test/render-screen';
import { UserSettingsPage } from './user-settings-page';

describe('User Settings', () => {
  it('says who can change a name or email on a self-hosted Portico, not “reach out to us”', async () => {
    renderScreen(<UserSettingsPage />);
    expect(await screen.findByText(/the operator who runs it can change them/)).toBeTruthy();
    expect(screen.queryByText(/Reach out to us/)).toBeNull();
  });
});
