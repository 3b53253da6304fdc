export type ThemeChoice = 'LIGHT' | 'DARK' | 'SYSTEM';

const KEY = 'portico-theme';
const media = () => window.matchMedia('(prefers-color-scheme: dark)');
let current: ThemeChoice = 'SYSTEM';

function paint(): void {
  const dark = current === 'DARK' || (current === 'SYSTEM' && media().matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

/**
 * Applies a theme at once and remembers it locally, so index.html's inline script paints it before the
 * app loads next time. The user's saved choice on the server is the source; this is its mirror.
 */
export function applyTheme(theme: ThemeChoice): void {
  current = theme;
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // storage may be disabled; the theme still applies for this page
  }
  paint();
}

media().addEventListener('change', () => current === 'SYSTEM' && paint());
