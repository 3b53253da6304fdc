import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { BusyButton } from './busy-button';

describe('BusyButton', () => {
  it('while busy: keeps focus, says so, and neither clicks nor submits its form', () => {
    const submit = vi.fn((e: { preventDefault(): void }) => e.preventDefault());
    const click = vi.fn();
    const { rerender } = render(<form onSubmit={submit}><BusyButton type="submit" busy={false} busyLabel="Saving…" onClick={click}>Save</BusyButton></form>);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect([click.mock.calls.length, submit.mock.calls.length]).toEqual([1, 1]);

    rerender(<form onSubmit={submit}><BusyButton type="submit" busy busyLabel="Saving…" onClick={click}>Save</BusyButton></form>);
    const busy = screen.getByRole('button', { name: 'Saving…' });
    busy.focus();
    fireEvent.click(busy);
    expect(busy.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(busy);
    expect([click.mock.calls.length, submit.mock.calls.length]).toEqual([1, 1]);
  });
});
