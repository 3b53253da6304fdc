import { Suspense, useCallback, useEffect, useState } from 'react';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { EmptyState, Loading } from '../components/states';
import { ROLE_LABELS } from '@portico/shared';
import { HomeIcon, BuildingIcon, MailIcon, SettingsIcon, UsersIcon, ChevronIcon, LockIcon, CardIcon, UserIcon, MenuIcon, SearchIcon, AlertIcon } from '../components/icons';
import { Menu } from '../components/menu';
import { SignOutMutation, SwitchWorkspaceMutation } from '../features/accounts/api/mutations';
import { SearchPalette } from '../features/search/search-palette';
import { useSearchShortcut } from '../features/search/use-search-shortcut';
import { UpdateThemeMutation } from '../features/settings/api';
import { initials } from '../lib/format';
import { applyTheme, type ThemeChoice } from '../lib/theme';
import { useEnvironmentKind } from './environment';
import { useCan, useCurrentViewer } from './viewer-context';

const THEMES: { value: ThemeChoice; label: string }[] = [
  { value: 'LIGHT', label: 'Light' },
  { value: 'DARK', label: 'Dark' },
  { value: 'SYSTEM', label: 'System' },
];

function EnvironmentSwitcher() {
  const { kind, setKind } = useEnvironmentKind();
  const environments = useCurrentViewer().workspace?.environments ?? [];
  const current = environments.find((e) => e.kind === kind);
  return (
    <Menu label={`Environment: ${current?.name ?? kind}`} align="left" trigger={<><span className="visually-hidden">Environment: </span><span className={`env-dot ${kind === 'PRODUCTION' ? 'production' : ''}`} aria-hidden="true" />{current?.name ?? 'Environment'}<ChevronIcon /></>}>
      {(close) => (
        <>
          <div className="menu-label">Environment</div>
          {environments.map((env) => (
            <button key={env.id} role="menuitemradio" aria-checked={env.kind === kind} className="menu-item" type="button" title={env.lockedReason ?? undefined} onClick={() => { setKind(env.kind); close(); }}>
              <span className={`env-dot ${env.kind === 'PRODUCTION' ? 'production' : ''}`} aria-hidden="true" />
              {env.name}
              {env.locked && <span className="badge" style={{ marginLeft: 'auto' }}><LockIcon aria-hidden="true" /> Locked<span className="visually-hidden">: {env.lockedReason}</span></span>}
            </button>
          ))}
        </>
      )}
    </Menu>
  );
}

function UserMenu() {
  const viewer = useCurrentViewer();
  const client = useApolloClient();
  const navigate = useNavigate();
  const [signOut] = useMutation(SignOutMutation);
  const [updateTheme] = useMutation(UpdateThemeMutation);
  const [switchWorkspace] = useMutation(SwitchWorkspaceMutation);

  const chooseTheme = (theme: ThemeChoice) => {
    applyTheme(theme);
    void updateTheme({ variables: { theme } });
  };

  return (
    <Menu label={`Account menu for ${viewer.user.name}`} trigger={<><span className="visually-hidden">Account menu for </span><span className="avatar" aria-hidden="true" data-initials={initials(viewer.user.name)} /><span className="trigger-text">{viewer.user.name}</span><ChevronIcon /></>}>
      {(close) => (
        <>
          <div style={{ padding: '6px 10px 8px' }}>
            <div style={{ fontWeight: 600 }}>{viewer.user.name}</div>
            <div className="subtle">{viewer.user.email}</div>
          </div>
          <div className="menu-sep" />
          <button role="menuitem" className="menu-item" type="button" onClick={() => { close(); navigate('/settings/profile'); }}>
            User Settings
          </button>
          <div className="menu-sep" />
          <div className="menu-label" id="theme-label">Theme</div>
          <div role="group" aria-labelledby="theme-label">
            {THEMES.map((t) => (
              <button key={t.value} role="menuitemradio" aria-checked={viewer.user.theme === t.value} className="menu-item" type="button" onClick={() => chooseTheme(t.value)}>
                <span aria-hidden="true" style={{ width: 14 }}>{viewer.user.theme === t.value ? '✓' : ''}</span>
                {t.label}
              </button>
            ))}
          </div>
          {viewer.workspaces.length > 1 && (
            <>
              <div className="menu-sep" />
              <div className="menu-label">Workspaces</div>
              {viewer.workspaces.map((w) => (
                <button key={w.workspace.id} role="menuitemradio" aria-checked={w.workspace.id === viewer.workspace?.id} className="menu-item" type="button"
                  onClick={async () => { close(); await switchWorkspace({ variables: { workspaceId: w.workspace.id } }); await client.resetStore(); navigate('/'); }}>
                  <span aria-hidden="true" style={{ width: 14 }}>{w.workspace.id === viewer.workspace?.id ? '✓' : ''}</span>
                  {w.workspace.name} <span className="subtle">· {ROLE_LABELS[w.role]}</span>
                </button>
              ))}
            </>
          )}
          <div className="menu-sep" />
          <button role="menuitem" className="menu-item" type="button" onClick={async () => { close(); await signOut(); await client.clearStore(); navigate('/sign-in'); }}>
            Sign out
          </button>
        </>
      )}
    </Menu>
  );
}

const isMac = () => typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

/** Opens the search palette; its shortcut is shown, and announced through aria-keyshortcuts. */
function SearchButton({ onOpen }: { onOpen: () => void }) {
  const mac = isMac();
  return (
    <button className="search-trigger" type="button" onClick={onOpen} aria-keyshortcuts={mac ? 'Meta+K /' : 'Control+K /'}>
      <SearchIcon />
      <span className="search-trigger-text">Search</span>
      <kbd aria-hidden="true">{mac ? '⌘K' : 'Ctrl K'}</kbd>
    </button>
  );
}

/**
 * Production is unmistakable: a red band across the top of every page, with words (not colour alone) and an
 * icon, above the top bar; screen readers meet it first as a labelled note.
 */
function ProductionBanner({ name }: { name: string }) {
  return (
    <div className="env-band" role="note" aria-label="Environment">
      <AlertIcon />
      <strong>{name}</strong>
      <span className="env-band-text">Live environment: changes here affect your customers’ sign-ins.</span>
      <span className="env-band-short">Live customers</span>
    </div>
  );
}

/** A locked Production (no billing yet) in place of an environment page: what is locked, why, and who can unlock it. */
function ProductionLocked({ reason }: { reason: string }) {
  const canManageBilling = useCan('billing:manage');
  return (
    <div className="page">
      <EmptyState title="Production is locked" action={canManageBilling ? <Link className="btn btn-primary" to="/workspace/billing">Set up billing</Link> : undefined}>
        {reason}. {canManageBilling ? 'Once billing is set, you can create Production API keys, organizations and connections.' : 'Ask an Admin of your workspace to set it up. Staging is open meanwhile.'}
      </EmptyState>
    </div>
  );
}

export function Shell() {
  const viewer = useCurrentViewer();
  const canReadOutbox = useCan('outbox:view');
  // Pages a role can't use are not offered (the server refuses them anyway; hiding is convenience).
  const canConfigure = useCan('environment:configure');
  const canManageBilling = useCan('billing:manage');
  const location = useLocation();
  const { kind } = useEnvironmentKind();
  const current = viewer.workspace?.environments.find((e) => e.kind === kind);
  const workspacePage = /^\/(workspace|settings)(\/|$)/.test(location.pathname);
  // Below 900 px the navigation is a drawer behind a Menu button; it closes once a page is chosen.
  const [navOpen, setNavOpen] = useState(false);
  useEffect(() => setNavOpen(false), [location.pathname]);
  const [searchOpen, setSearchOpen] = useState(false);
  const openSearch = useCallback(() => setSearchOpen(true), []);
  useSearchShortcut(openSearch);
  const production = kind === 'PRODUCTION';
  useEffect(() => {
    document.title = production ? `${current?.name ?? 'Production'} · Portico` : 'Portico';
  }, [production, current?.name]);
  useEffect(() => {
    if (!navOpen) return;
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') setNavOpen(false); };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [navOpen]);
  return (
    <div className={`shell${navOpen ? ' nav-open' : ''}${production ? ' production' : ''}`}>
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="shell-top">
        {production && <ProductionBanner name={current?.name ?? 'Production'} />}
        <div className="topbar">
          <button className="nav-toggle btn btn-ghost" type="button" aria-expanded={navOpen} aria-controls="main-nav" onClick={() => setNavOpen((o) => !o)}><MenuIcon /> Menu</button>
          {/* The mark's letter and the avatar's initials are drawn by CSS, so each control's name is its visible text. */}
          <NavLink to="/" className="brand"><span className="brand-mark" aria-hidden="true" /> <span className="brand-text">Portico</span></NavLink>
          <span className="muted topbar-workspace"><span className="visually-hidden">Workspace: </span>{viewer.workspace?.name}</span>
          <EnvironmentSwitcher />
          <div className="topbar-spacer" />
          {current && !current.locked && <SearchButton onOpen={openSearch} />}
          <UserMenu />
        </div>
      </header>
      <nav className="sidebar" id="main-nav" aria-label="Main">
        <div>
          <div className="nav-section-title">Environment</div>
          <NavLink className="nav-link" to="/" end><HomeIcon /> Overview</NavLink>
          <NavLink className="nav-link" to="/organizations"><BuildingIcon /> Organizations</NavLink>
          {canConfigure && <NavLink className="nav-link" to="/configuration"><SettingsIcon /> Configuration</NavLink>}
        </div>
        <div>
          <div className="nav-section-title">Workspace</div>
          <NavLink className="nav-link" to="/workspace/team"><UsersIcon /> Team</NavLink>
          {canManageBilling && <NavLink className="nav-link" to="/workspace/billing"><CardIcon /> Billing</NavLink>}
          <NavLink className="nav-link" to="/workspace/compliance"><LockIcon /> Compliance</NavLink>
          {canReadOutbox && <NavLink className="nav-link" to="/workspace/outbox"><MailIcon /> Dev outbox</NavLink>}
          <NavLink className="nav-link" to="/settings/profile"><UserIcon /> User Settings</NavLink>
        </div>
      </nav>
      <main className="main" id="main" tabIndex={-1}>
        {current?.locked && !workspacePage ? <ProductionLocked reason={current.lockedReason ?? 'Production is locked'} /> : <Suspense fallback={<div className="page"><Loading /></div>}><Outlet /></Suspense>}
      </main>
      {current && !current.locked && <SearchPalette open={searchOpen} onClose={() => setSearchOpen(false)} environmentId={current.id} environmentName={current.name} />}
    </div>
  );
}
