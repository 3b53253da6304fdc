import type { Response } from 'express';
import type { FlowOutcome } from '../../modules/sso-sessions/sso-flow';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const FIXERS = {
  developer: 'Who can fix this: the developers of the application you were signing in to.',
  it_admin: "Who can fix this: your organization's IT administrator, in the identity provider's settings.",
};

/** A sign-in that can't go back to the application gets a page that says what happened and who must act (when known). */
export function sendErrorPage(res: Response, page: Omit<Extract<FlowOutcome, { kind: 'error_page' }>, 'fixer'> & { fixer?: keyof typeof FIXERS }): void {
  if (page.retryAfterSeconds) res.set('Retry-After', String(page.retryAfterSeconds));
  res
    .status(page.status)
    .set({ 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'", 'Cache-Control': 'no-store' })
    .type('html')
    .send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(page.title)} · Portico</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; color: CanvasText; }
  main { max-width: 34rem; margin: 1rem; padding: 2rem; border: 1px solid color-mix(in srgb, CanvasText 15%, transparent); border-radius: 12px; }
  h1 { font-size: 1.25rem; margin: 0 0 .75rem; }
  p { line-height: 1.5; margin: .5rem 0; }
  .who { font-weight: 600; }
  code { font-size: .9em; }
</style></head>
<body><main role="main">
  <h1>${escape(page.title)}</h1>
  <p>${escape(page.message)}</p>
  ${page.fixer ? `<p class="who">${FIXERS[page.fixer]}</p>` : ''}
  ${page.sessionId ? `<p>Reference: <code>${escape(page.sessionId)}</code></p>` : ''}
</main></body></html>`);
}
