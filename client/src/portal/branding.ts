import type { PortalContext } from './api';

const HEX = /^#[0-9a-f]{6}$/i;

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/**
 * The team's colour becomes the portal's accent (buttons, links, focus ring), with black or white text on it,
 * whichever reads better (WCAG contrast), in both themes.
 */
export function applyBranding(branding: PortalContext['branding']): void {
  const root = document.documentElement;
  document.title = `Setup · ${branding.name}`;
  if (!branding.brandColor || !HEX.test(branding.brandColor)) return;
  const color = branding.brandColor;
  const light = luminance(color);
  root.style.setProperty('--accent', color);
  root.style.setProperty('--accent-hover', color);
  root.style.setProperty('--focus', color);
  root.style.setProperty('--accent-text', (light + 0.05) / 0.05 > 1.05 / (light + 0.05) ? '#111111' : '#ffffff');
  root.style.setProperty('--accent-soft', `color-mix(in srgb, ${color} 14%, var(--surface))`);
}
