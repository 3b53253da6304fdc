/**
 * jose and openid-client ship as ES modules only; this CommonJS build loads each once with import(), on first use.
 */
let jose: Promise<typeof import('jose', { with: { 'resolution-mode': 'import' } })> | undefined;
let openidClient: Promise<typeof import('openid-client', { with: { 'resolution-mode': 'import' } })> | undefined;

export const loadJose = () => (jose ??= import('jose'));
export const loadOpenidClient = () => (openidClient ??= import('openid-client'));
