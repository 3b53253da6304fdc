import type { ButtonHTMLAttributes, MouseEvent, ReactNode } from 'react';

/**
 * A button that stays focusable while its action runs: `aria-disabled` and its click (or form submit) ignored, not
 * `disabled`, which would drop the keyboard focus to the page just before the outcome is announced.
 */
export function BusyButton({ busy, busyLabel, children, onClick, ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { busy: boolean; busyLabel?: ReactNode }) {
  const click = (e: MouseEvent<HTMLButtonElement>) => {
    if (busy) e.preventDefault();
    else onClick?.(e);
  };
  return <button type="button" {...rest} aria-disabled={busy || undefined} onClick={click}>{busy && busyLabel !== undefined ? busyLabel : children}</button>;
}
