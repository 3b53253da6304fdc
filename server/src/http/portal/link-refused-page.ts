import type { Response } from 'express';
import type { PortalBranding } from '../../modules/admin-portal/portal-branding.service';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const HEX = /^#[0-9a-f]{6}$/i;

/**
 * The page for a portal link that can't be used, in the team's branding when the link is known: its name, its colour
 * (a stripe only, so no text depends on it for contrast) and "Questions? Contact …". Static: no script, no images.
 */
export function sendLinkRefusedPage(res: Response, message: string, branding: PortalBranding | null): void {
  const accent = branding?.brandColor && HEX.test(branding.brandColor) ? branding.brandColor : '#4f46e5';
  const support = branding?.supportEmail
    ? `Questions? Contact <a href="mailto:${escape(branding.supportEmail)}">${escape(branding.supportEmail)}</a>`
    : 'Questions? Contact the team that sent you this link.';
  res
    .status(410)
    .set({ 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'", 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' })
    .type('html')
    .send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ask for a new setup link · ${escape(branding?.name ?? 'Portico')}</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { margin: 0; min-height: 100vh; display: flex; flex-direction: column; background: Canvas; color: CanvasText; }
  header { border-top: 4px solid ${accent}; padding: 14px clamp(16px, 4vw, 32px); border-bottom: 1px solid color-mix(in srgb, CanvasText 15%, transparent); font-weight: 700; }
  main { flex: 1; display: grid; place-items: center; padding: 24px 16px; }
  .card { max-width: 34rem; padding: 2rem; border: 1px solid color-mix(in srgb, CanvasText 15%, transparent); border-radius: 12px; }
  h1 { font-size: 1.25rem; margin: 0 0 .75rem; }
  p { line-height: 1.5; margin: .5rem 0; }
  footer { padding: 16px clamp(16px, 4vw, 32px); border-top: 1px solid color-mix(in srgb, CanvasText 15%, transparent); }
  a { color: LinkText; }
</style></head>
<body>
  ${branding ? `<header>${escape(branding.name)}</header>` : ''}
  <main><div class="card">
    <h1>Ask for a new setup link</h1>
    <p>${escape(message)}</p>
  </div></main>
  <footer><p>${support}</p></footer>
</body></html>`);
}
