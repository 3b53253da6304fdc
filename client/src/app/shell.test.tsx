import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderScreen } from '../test/render-screen';
import { Shell } from './shell';

const nav = () => within(screen.getByRole('navigation', { name: 'Main' }));

describe('Shell navigation', () => {
  it('offers Support no Configuration, Billing or Dev outbox, which its role can’t use', () => {
    renderScreen(<Shell />, { role: 'SUPPORT' });
    expect(nav().getByRole('link', { name: 'Organizations' })).toBeTruthy();
    expect(nav().getByRole('link', { name: 'Team' })).toBeTruthy();
    for (const name of ['Configuration', 'Billing', 'Dev outbox']) expect(nav().queryByRole('link', { name })).toBeNull();
  });

  it('offers a Developer Configuration but not Billing', () => {
    renderScreen(<Shell />, { role: 'DEVELOPER' });
    expect(nav().getByRole('link', { name: 'Configuration' })).toBeTruthy();
    expect(nav().queryByRole('link', { name: 'Billing' })).toBeNull();
  });

  it('offers an Admin every page, User Settings with an icon of its own', () => {
    renderScreen(<Shell />, { role: 'ADMIN' });
    for (const name of ['Overview', 'Organizations', 'Configuration', 'Team', 'Billing', 'Compliance', 'Dev outbox', 'User Settings']) expect(nav().getByRole('link', { name })).toBeTruthy();
    const icon = (name: string) => nav().getByRole('link', { name }).querySelector('svg')!.innerHTML;
    expect(icon('User Settings')).not.toBe(icon('Configuration'));
  });

  it('opens the navigation drawer from the Menu button and closes it with Escape', () => {
    const { container } = renderScreen(<Shell />);
    const toggle = screen.getByRole('button', { name: 'Menu' });
    expect(toggle.getAttribute('aria-controls')).toBe('main-nav');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(container.querySelector('.shell')!.classList.contains('nav-open')).toBe(true);
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(container.querySelector('.shell')!.classList.contains('nav-open')).toBe(false);
  });

  it('marks Production with a band that says so in words, and Staging with none', () => {
    renderScreen(<Shell />);
    expect(screen.queryByRole('note', { name: 'Environment' })).toBeNull();
    expect(document.title).toBe('Portico');
    fireEvent.click(screen.getByRole('button', { name: /^Environment: Staging/ }));
    fireEvent.click(screen.getByRole('menuitemradio', { name: /Production/ }));
    const band = screen.getByRole('note', { name: 'Environment' });
    expect(band.textContent).toContain('Production');
    expect(band.textContent).toContain('changes here affect your customers’ sign-ins');
    expect(document.querySelector('.shell')!.classList.contains('production')).toBe(true);
    expect(document.title).toBe('Production · Portico');
  });
});
