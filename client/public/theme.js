// Before first paint: apply the theme saved for this user (mirrored in localStorage), or the OS setting.
// A file, not an inline script, so the dashboard's Content-Security-Policy can say script-src 'self' and nothing more.
(function () {
  var saved = null;
  try { saved = localStorage.getItem('portico-theme'); } catch (e) {}
  var dark = saved === 'DARK' || (saved !== 'LIGHT' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
})();
