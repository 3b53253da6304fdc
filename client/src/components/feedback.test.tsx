import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useConfirm } from './confirm-dialog';
import { FeedbackProvider } from './feedback';
import { TOAST_MS, useToast } from './toast';

function DeleteButton({ onResult }: { onResult: (ok: boolean) => void }) {
  const confirm = useConfirm();
  return (
    <main>
      <h1>Acme</h1>
      <button type="button" onClick={async () => onResult(await confirm({ title: 'Delete organization Acme?', body: 'Its connections are deleted too.', confirmLabel: 'Delete organization' }))}>Delete</button>
    </main>
  );
}

function SaveButtons() {
  const toast = useToast();
  return (
    <>
      <button type="button" onClick={() => toast.success('Organization Acme saved.')}>Save</button>
      <button type="button" onClick={() => toast.error('The server could not be reached.')}>Fail</button>
    </>
  );
}

describe('the confirmation dialog', () => {
  const open = () => {
    const onResult = vi.fn();
    render(<FeedbackProvider><DeleteButton onResult={onResult} /></FeedbackProvider>);
    const opener = screen.getByRole('button', { name: 'Delete' });
    opener.focus();
    fireEvent.click(opener);
    return { onResult, opener };
  };

  it('is an alertdialog named after the action and its object, described by its consequences, with Cancel focused', async () => {
    open();
    const dialog = await screen.findByRole('alertdialog', { name: 'Delete organization Acme?' });
    expect(dialog.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(dialog.getAttribute('aria-describedby')!)!.textContent).toBe('Its connections are deleted too.');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(within(dialog).getByRole('button', { name: 'Delete organization' }).className).toContain('btn-danger');
  });

  it('answers yes only to the confirming button, and gives focus back to the button that asked', async () => {
    const { onResult, opener } = open();
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Delete organization' }));
    await vi.waitFor(() => expect(onResult).toHaveBeenCalledWith(true));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('answers no to Cancel and to Escape', async () => {
    const { onResult } = open();
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Cancel' }));
    await vi.waitFor(() => expect(onResult).toHaveBeenCalledWith(false));
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    // Escape on a modal <dialog> fires `cancel` (the browser's part; Chromium journeys press the key itself).
    fireEvent(await screen.findByRole('alertdialog'), new Event('cancel'));
    await vi.waitFor(() => expect(onResult).toHaveBeenCalledTimes(2));
    expect(onResult).toHaveBeenLastCalledWith(false);
  });

  it('does not let a close event left over from an earlier Escape answer the next question', async () => {
    const { onResult } = open();
    fireEvent(await screen.findByRole('alertdialog'), new Event('cancel', { cancelable: true }));
    await vi.waitFor(() => expect(onResult).toHaveBeenCalledWith(false));
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    const again = await screen.findByRole('alertdialog');
    // The browser queues `close` after it closes a dialog; a quick hand reopens it before that event arrives.
    fireEvent(again, new Event('close'));
    expect(screen.getByRole('alertdialog')).toBe(again);
    fireEvent.click(within(again).getByRole('button', { name: 'Delete organization' }));
    await vi.waitFor(() => expect(onResult).toHaveBeenLastCalledWith(true));
    expect(onResult).toHaveBeenCalledTimes(2);
  });
});

describe('toasts', () => {
  afterEach(() => vi.useRealTimers());

  it('announces a save in a polite live region that exists before it, with an icon and a word beside the colour', async () => {
    render(<FeedbackProvider><SaveButtons /></FeedbackProvider>);
    const region = screen.getByRole('region', { name: 'Notifications' });
    const polite = region.querySelector('[aria-live="polite"]')!;
    expect(polite.textContent).toBe('');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(polite.textContent).toBe('Done: Organization Acme saved.');
    expect(polite.querySelector('svg')).not.toBeNull();
  });

  it('lets a success leave by itself after a few seconds, but keeps an error until it is dismissed', async () => {
    vi.useFakeTimers();
    render(<FeedbackProvider><SaveButtons /></FeedbackProvider>);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    fireEvent.click(screen.getByRole('button', { name: 'Fail' }));
    const region = screen.getByRole('region', { name: 'Notifications' });
    expect(region.querySelector('[aria-live="assertive"]')!.textContent).toBe('Error: The server could not be reached.');
    act(() => vi.advanceTimersByTime(TOAST_MS + 100));
    expect(screen.queryByText('Organization Acme saved.')).toBeNull();
    expect(screen.getByText('The server could not be reached.')).toBeTruthy();
    fireEvent.click(within(region).getByRole('button', { name: 'Dismiss notification' }));
    expect(screen.queryByText('The server could not be reached.')).toBeNull();
  });

  it('keeps a success on screen while the pointer rests on it', () => {
    vi.useFakeTimers();
    render(<FeedbackProvider><SaveButtons /></FeedbackProvider>);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    fireEvent.mouseEnter(screen.getByText('Organization Acme saved.').closest('.toast')!);
    act(() => vi.advanceTimersByTime(TOAST_MS * 2));
    expect(screen.getByText('Organization Acme saved.')).toBeTruthy();
  });
});
