import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

interface MenuProps {
  label: string;
  trigger: ReactNode;
  align?: 'left' | 'right';
  children: (close: () => void) => ReactNode;
}

/** A disclosure menu: opens on click, Arrow keys move between items, Escape closes and refocuses the trigger. */
export function Menu({ label, trigger, align = 'right', children }: MenuProps) {
  const [open, setOpen] = useState(false);
  const wrap = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const id = useId();
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    const first = wrap.current?.querySelector<HTMLElement>('[role^="menuitem"]');
    first?.focus();
    const onDown = (e: MouseEvent) => !wrap.current?.contains(e.target as Node) && setOpen(false);
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    const items = [...(wrap.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]') ?? [])];
    const index = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape') close();
    else if (e.key === 'ArrowDown') items[(index + 1) % items.length]?.focus();
    else if (e.key === 'ArrowUp') items[(index - 1 + items.length) % items.length]?.focus();
    else return;
    e.preventDefault();
  };

  // The trigger is named by its own content (put any words only a screen reader needs in .visually-hidden), so its
  // name contains its visible text; `label` names the menu.
  return (
    <div className="menu-wrap" ref={wrap} onKeyDown={onKeyDown}>
      <button ref={button} type="button" className="trigger" aria-haspopup="menu" aria-expanded={open} aria-controls={id} onClick={() => setOpen((o) => !o)}>
        {trigger}
      </button>
      {open && (
        <div id={id} role="menu" aria-label={label} className={`menu ${align === 'left' ? 'menu-left' : ''}`}>
          {children(close)}
        </div>
      )}
    </div>
  );
}
