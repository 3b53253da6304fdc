/** The test IdP's stylesheet: the dashboard's tokens (light and dark), a single centred card that fits 390 px. */
export const TEST_IDP_CSS = `
:root { --font: ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; --radius: 8px;
  --bg: #f7f7f8; --surface: #ffffff; --surface-2: #f2f2f4; --border: #e3e3e8; --border-strong: #cfcfd6; --text: #18181b; --text-2: #52525b;
  --accent: #4f46e5; --accent-hover: #4338ca; --accent-text: #ffffff; --accent-soft: #eef2ff; --danger: #c81e1e; --focus: #6366f1; }
@media (prefers-color-scheme: dark) { :root { --bg: #0f0f12; --surface: #17171c; --surface-2: #1f1f26; --border: #2a2a33; --border-strong: #3a3a45;
  --text: #f4f4f5; --text-2: #b4b4bd; --accent: #818cf8; --accent-hover: #a5b4fc; --accent-text: #111125; --accent-soft: #23234a; --danger: #f87171; --focus: #a5b4fc; } }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 var(--font); background: var(--bg); color: var(--text); }
.frame { max-width: 560px; margin: 0 auto; padding: 32px 16px; }
.brand { display: flex; align-items: center; gap: 10px; margin-bottom: 16px; color: var(--text-2); }
.brand strong { color: var(--text); }
.logo { display: grid; place-items: center; width: 28px; height: 28px; border-radius: 7px; background: var(--accent); color: var(--accent-text); font-weight: 700; }
.card { background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); padding: 24px; box-shadow: 0 1px 2px rgb(0 0 0 / .05), 0 1px 3px rgb(0 0 0 / .08); }
h1 { font-size: 20px; margin: 0 0 6px; }
.muted { color: var(--text-2); margin: 0 0 16px; }
fieldset { border: 0; padding: 0; margin: 0 0 20px; min-width: 0; }
legend { font-weight: 600; margin-bottom: 8px; padding: 0; }
.users { display: grid; gap: 8px; margin-bottom: 12px; }
.user { display: flex; align-items: center; gap: 12px; padding: 10px 12px; border: 1px solid var(--border); border-radius: var(--radius); cursor: pointer; }
.user:has(input:checked) { border-color: var(--accent); background: var(--accent-soft); }
.user input { margin: 0; accent-color: var(--accent); }
.avatar { display: grid; place-items: center; width: 32px; height: 32px; border-radius: 50%; background: var(--surface-2); font-weight: 600; flex: none; }
.name { display: block; font-weight: 550; }
.email { display: block; color: var(--text-2); font-size: 13px; overflow-wrap: anywhere; }
.field { display: block; font-weight: 550; margin: 4px 0 6px; }
.input { width: 100%; height: 36px; padding: 0 10px; border: 1px solid var(--border-strong); border-radius: 6px; background: var(--surface); color: var(--text); font: inherit; }
.input[aria-invalid="true"] { border-color: var(--danger); }
.error { color: var(--danger); margin: 6px 0 0; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; margin-bottom: 24px; }
.btn { display: inline-flex; align-items: center; justify-content: center; gap: 6px; min-height: 36px; padding: 6px 14px; border-radius: 6px; border: 1px solid var(--border-strong);
  background: var(--surface); color: var(--text); font: inherit; font-weight: 550; cursor: pointer; text-align: left; }
.btn:hover { background: var(--surface-2); }
.btn-primary { background: var(--accent); border-color: var(--accent); color: var(--accent-text); }
.btn-primary:hover { background: var(--accent-hover); border-color: var(--accent-hover); }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
.errors { border-top: 1px solid var(--border); padding-top: 16px; margin: 0; }
.error-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 8px; }
.error-grid .btn { flex-direction: column; align-items: flex-start; gap: 0; }
.outcome { font-weight: 400; font-size: 12px; color: var(--text-2); }
@media (max-width: 480px) { .frame { padding: 16px 12px; } .card { padding: 16px; } .actions .btn { flex: 1 1 100%; } }
`;

/** Submits the ACS form (HTTP-POST binding), and makes typing an email deselect the listed users. */
export const TEST_IDP_JS = `
document.querySelectorAll('form[data-autosubmit]').forEach(function (form) { form.submit(); });
var typed = document.getElementById('email');
if (typed) typed.addEventListener('input', function () {
  document.querySelectorAll('input[name="user"]').forEach(function (r) { if (typed.value) r.checked = false; });
});
document.querySelectorAll('input[name="user"]').forEach(function (r) {
  r.addEventListener('change', function () { if (r.checked && typed) typed.value = ''; });
});
`;
