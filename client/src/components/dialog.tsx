import { useEffect, useId, useRef, type ReactNode } from 'react';

interface DialogProps {
  open: boolean;
  title: string;
  description?: ReactNode;
  onClose: () => void;
  children?: ReactNode;
  footer: ReactNode;
  /** `alertdialog` for a confirmation that interrupts (WAI-ARIA): it is announced with its description. */
  role?: 'dialog' | 'alertdialog';
}

/**
 * The native <dialog>: modal, focus-trapped, closes on Escape. Focus goes to the element marked `data-autofocus`
 * (else the browser's first focusable), and back to whatever had it before the dialog opened — or, when that is
 * gone (the row just deleted), to the page's main heading, so a keyboard user is never dropped at the top.
 */
export function Dialog({ open, title, description, onClose, children, footer, role = 'dialog' }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const id = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
      dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    }
    if (!open && dialog.open) {
      dialog.close();
      restoreFocus(opener.current);
    }
  }, [open]);
  return (
    <dialog ref={ref} className="dialog" role={role === 'alertdialog' ? 'alertdialog' : undefined} aria-labelledby={`${id}-title`}
      aria-describedby={description ? `${id}-description` : undefined} onClose={onClose} onCancel={onClose}>
      {open && (
        <>
          <div className="dialog-header">
            <h2 id={`${id}-title`}>{title}</h2>
            {description && <div className="dialog-description" id={`${id}-description`}>{description}</div>}
          </div>
          {children && <div className="dialog-body">{children}</div>}
          <div className="dialog-footer">{footer}</div>
        </>
      )}
    </dialog>
  );
}

function restoreFocus(opener: HTMLElement | null): void {
  if (opener?.isConnected) return opener.focus();
  const heading = document.querySelector<HTMLElement>('main h1');
  if (!heading) return;
  heading.tabIndex = -1;
  heading.focus();
}
