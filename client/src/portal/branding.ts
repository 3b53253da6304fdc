import type { PortalContext } from './api';

const HEX = /^#[0-9a-f]{6}$/i;

type Rgb = [number, number, number];
const toRgb = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
const toHex = (rgb: Rgb) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
const mix = (a: Rgb, b: Rgb, t: number): Rgb => a.map((c, i) => c + (b[i]! - c) * t) as Rgb;

function luminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

const contrast = (a: Rgb, b: Rgb) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

/** The brand colour, lightened (dark theme) or darkened (light theme) just enough to read as text on the page (WCAG AA). */
function readableOn(color: Rgb, surface: Rgb, towards: Rgb): Rgb {
  for (let t = 0; t <= 1; t += 0.05) {
    const candidate = mix(color, towards, t);
    if (contrast(candidate, surface) >= 4.6) return candidate;
  }
  return towards;
}

/**
 * The team's colour becomes the portal's accent (buttons, links, focus ring, selected choices), adjusted per theme
 * so links and selected text stay readable, with black or white text on it, whichever reads better.
 */
export function brandPalette(brandColor: string | null | undefined, dark: boolean): Record<string, string> | null {
  if (!brandColor || !HEX.test(brandColor)) return null;
  const surface: Rgb = dark ? [0x17, 0x17, 0x1c] : [0xff, 0xff, 0xff];
  const accent = readableOn(toRgb(brandColor), surface, dark ? [255, 255, 255] : [0, 0, 0]);
  const onAccent = contrast(accent, [17, 17, 17]) >= contrast(accent, [255, 255, 255]) ? '#111111' : '#ffffff';
  const soft = mix(surface, accent, dark ? 0.18 : 0.1);
  return {
    '--accent': toHex(accent), '--accent-hover': toHex(accent), '--focus': toHex(accent), '--accent-text': onAccent,
    // The selected choice's text (accent on accent-soft) must read too: the soft tint stays close to the surface.
    '--accent-soft': toHex(contrast(accent, soft) >= 4.6 ? soft : surface),
  };
}

export function applyBranding(branding: PortalContext['branding']): void {
  const root = document.documentElement;
  document.title = `Setup · ${branding.name}`;
  const palette = brandPalette(branding.brandColor, root.dataset.theme === 'dark');
  for (const [name, value] of Object.entries(palette ?? {})) root.style.setProperty(name, value);
}
