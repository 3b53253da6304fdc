import { NavLink } from 'react-router';

/** Page-level tabs that are links (each tab has its own URL, so it can be shared and reloaded). */
export function TabLinks({ label, tabs }: { label: string; tabs: { to: string; label: string; end?: boolean }[] }) {
  return (
    <nav className="tabs" aria-label={label}>
      {tabs.map((t) => (
        <NavLink key={t.to} to={t.to} end={t.end} className="tab">{t.label}</NavLink>
      ))}
    </nav>
  );
}
