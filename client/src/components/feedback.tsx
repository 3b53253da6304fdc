import type { ReactNode } from 'react';
import { ConfirmProvider } from './confirm-dialog';
import { ToastProvider } from './toast';

/** The dashboard's shared confirmation dialog and toasts, once for the whole app (and each screen test). */
export function FeedbackProvider({ children }: { children: ReactNode }) {
  return <ToastProvider><ConfirmProvider>{children}</ConfirmProvider></ToastProvider>;
}
