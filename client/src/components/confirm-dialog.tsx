import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { Dialog } from './dialog';

export interface ConfirmOptions {
  /** Names the action and its object: "Delete organization Acme?". */
  title: string;
  /** What happens, in a sentence or two: who stops being able to do what. */
  body?: ReactNode;
  /** The confirming button says the action again ("Delete organization"), never just "OK". */
  confirmLabel: string;
  /** `danger` (the default) for what cannot be undone or stops something working. */
  tone?: 'danger' | 'primary';
}

type Confirm = (options: ConfirmOptions) => Promise<boolean>;
const ConfirmContext = createContext<Confirm | null>(null);

/**
 * The one confirmation every destructive action asks through: an alertdialog, Cancel focused first (the safe
 * choice is the default one for Enter), Escape cancels, focus returns to the button that asked.
 */
export function ConfirmProvider({ children }: { children: ReactNode }) {
  const [request, setRequest] = useState<(ConfirmOptions & { resolve: (ok: boolean) => void }) | null>(null);
  const confirm = useCallback<Confirm>((options) => new Promise((resolve) => setRequest({ ...options, resolve })), []);
  const settle = (ok: boolean) => {
    request?.resolve(ok);
    setRequest(null);
  };
  const danger = (request?.tone ?? 'danger') === 'danger';
  return (
    <ConfirmContext.Provider value={confirm}>
      {children}
      <Dialog role="alertdialog" open={request !== null} title={request?.title ?? ''} description={request?.body} onClose={() => settle(false)}
        footer={(
          <>
            <button type="button" className="btn" data-autofocus onClick={() => settle(false)}>Cancel</button>
            <button type="button" className={danger ? 'btn btn-danger btn-solid' : 'btn btn-primary'} onClick={() => settle(true)}>{request?.confirmLabel}</button>
          </>
        )} />
    </ConfirmContext.Provider>
  );
}

/** `if (!(await confirm({ title: `Delete organization ${name}?`, … }))) return;` */
export function useConfirm(): Confirm {
  const confirm = useContext(ConfirmContext);
  if (!confirm) throw new Error('useConfirm needs a <ConfirmProvider> above it');
  return confirm;
}
