import { useEffect, useId, useRef, type ReactNode, type SyntheticEvent } from 'react';

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
  const isOpen = useRef(open);
  isOpen.current = open;
  const id = useId();
  // The state closes the dialog, never the browser behind its back: Escape asks (`cancel`, default prevented) and the
  // effect below closes. A `close` event counts only while the dialog is meant to be open and is really closed: the
  // event is queued, so one from an earlier closing can arrive after the dialog was opened again (Escape, then at
  // once the same button), and must not answer the new question.
  const onCancel = (event: SyntheticEvent) => {
    event.preventDefault();
    onClose();
  };
  const onNativeClose = () => {
    if (isOpen.current && !ref.current?.open) onClose();
  };
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
      aria-describedby={description ? `${id}-description` : undefined} onClose={onNativeClose} onCancel={onCancel}>
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
