import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { AlertCircleIcon, CheckCircleIcon, CloseIcon, InfoCircleIcon } from './icons';

type Tone = 'success' | 'error' | 'info';
interface Toast { id: number; tone: Tone; message: string }

export interface Toasts {
  /** A save or a deletion went through: "Organization Acme deleted." Leaves by itself after a few seconds. */
  success(message: string): void;
  /** An action failed where no form field can carry the reason. Stays until dismissed. */
  error(message: string): void;
  info(message: string): void;
}

/** How long a success or info toast stays (paused while pointed at or focused). Errors stay until dismissed. */
export const TOAST_MS = 6_000;
const MAX_SHOWN = 3;
const ToastContext = createContext<Toasts | null>(null);
const LABELS: Record<Tone, string> = { success: 'Done', error: 'Error', info: 'Note' };
const ICONS = { success: CheckCircleIcon, error: AlertCircleIcon, info: InfoCircleIcon };

/**
 * The one notice pattern for the outcome of an action. Two aria-live regions exist from the first render (a region
 * added together with its text is not announced): polite for outcomes, assertive for errors. They carry no
 * status/alert role, so a page's own status (a form's "check your email") stays the page's one status. Each toast
 * carries an icon and a hidden "Done:"/"Error:" word, so its meaning never rests on colour alone.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(0);
  const dismiss = useCallback((id: number) => setToasts((shown) => shown.filter((t) => t.id !== id)), []);
  const api = useMemo<Toasts>(() => {
    const show = (tone: Tone) => (message: string) => {
      const id = ++next.current;
      setToasts((shown) => [...shown.filter((t) => t.message !== message), { id, tone, message }].slice(-MAX_SHOWN));
    };
    return { success: show('success'), error: show('error'), info: show('info') };
  }, []);
  const list = (assertive: boolean) => toasts.filter((t) => (t.tone === 'error') === assertive)
    .map((t) => <ToastItem key={t.id} toast={t} onDismiss={dismiss} />);
  return (
    <ToastContext.Provider value={api}>
      {children}
      <section className="toasts" aria-label="Notifications">
        <div aria-live="polite" className="toast-list">{list(false)}</div>
        <div aria-live="assertive" className="toast-list">{list(true)}</div>
      </section>
    </ToastContext.Provider>
  );
}

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }) {
  const [paused, setPaused] = useState(false);
  useEffect(() => {
    if (toast.tone === 'error' || paused) return;
    const timer = setTimeout(() => onDismiss(toast.id), TOAST_MS);
    return () => clearTimeout(timer);
  }, [toast.id, toast.tone, paused, onDismiss]);
  const Icon = ICONS[toast.tone];
  return (
    <div className={`toast toast-${toast.tone}`} onMouseEnter={() => setPaused(true)} onMouseLeave={() => setPaused(false)}
      onFocus={() => setPaused(true)} onBlur={() => setPaused(false)}>
      <Icon className="toast-icon" />
      <p><span className="visually-hidden">{LABELS[toast.tone]}: </span>{toast.message}</p>
      <button type="button" className="btn btn-sm btn-ghost btn-icon" aria-label="Dismiss notification" onClick={() => onDismiss(toast.id)}><CloseIcon /></button>
    </div>
  );
}

export function useToast(): Toasts {
  const toasts = useContext(ToastContext);
  if (!toasts) throw new Error('useToast needs a <ToastProvider> above it');
  return toasts;
}
