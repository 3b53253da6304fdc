import { Field } from '../../components/field';

export type OidcSource = 'discovery' | 'manual';

export interface OidcConfigValue {
  source: OidcSource;
  discoveryUrl: string;
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
}

export const emptyOidcConfig = (initial: Partial<OidcConfigValue> = {}): OidcConfigValue => ({
  source: 'discovery', discoveryUrl: '', issuer: '', authorizationEndpoint: '', tokenEndpoint: '', jwksUri: '', clientId: '', clientSecret: '', scopes: 'openid profile email', ...initial,
});

/** The GraphQL input for what was typed: one source of endpoints, and only the fields filled in (a blank secret keeps the stored one). */
export function oidcConfigInput(value: OidcConfigValue) {
  const input: Record<string, string | string[]> = {};
  const put = (key: keyof OidcConfigValue) => {
    if (value[key].trim()) input[key] = value[key].trim();
  };
  if (value.source === 'discovery') put('discoveryUrl');
  else (['issuer', 'authorizationEndpoint', 'tokenEndpoint', 'jwksUri'] as const).forEach(put);
  put('clientId');
  if (value.clientSecret.trim()) input.clientSecret = value.clientSecret;
  const scopes = value.scopes.split(/[\s,]+/).filter(Boolean);
  if (scopes.length) input.scopes = scopes;
  return input;
}

const SOURCES: { value: OidcSource; label: string }[] = [
  { value: 'discovery', label: 'Discovery URL' },
  { value: 'manual', label: 'Enter manually' },
];

/**
 * An OpenID Connect IdP and Portico's registration there: the discovery URL (or the endpoints by hand), the client ID
 * and secret the IdP issued, the scopes. `redirectUri` is what the IT admin registers at the IdP.
 */
export function OidcConfigForm({ value, onChange, errors, secretSet = false, redirectUri }: {
  value: OidcConfigValue; onChange: (v: OidcConfigValue) => void; errors: Record<string, string>; secretSet?: boolean; redirectUri?: string;
}) {
  const set = (patch: Partial<OidcConfigValue>) => onChange({ ...value, ...patch });
  const discoveryError = Object.entries(errors).find(([k]) => k.startsWith('discoveryUrl'))?.[1];
  return (
    <div className="stack">
      {redirectUri && <p className="subtle">Register <code className="mono">{redirectUri}</code> as the redirect URI of the app at the identity provider.</p>}
      <div className="segmented" role="group" aria-label="Where the endpoints come from">
        {SOURCES.map((s) => <button key={s.value} type="button" aria-pressed={value.source === s.value} onClick={() => set({ source: s.value })}>{s.label}</button>)}
      </div>
      {value.source === 'discovery' ? (
        <Field label="Discovery URL" type="url" value={value.discoveryUrl} onChange={(e) => set({ discoveryUrl: e.target.value })} error={discoveryError ?? errors.issuer}
          placeholder="https://acme.okta.com/.well-known/openid-configuration" hint="The issuer URL or its /.well-known/openid-configuration. Portico reads the endpoints from it now; the issuer it states must match." />
      ) : (
        <>
          <Field label="Issuer" type="url" value={value.issuer} onChange={(e) => set({ issuer: e.target.value })} error={errors.issuer} placeholder="https://acme.okta.com" />
          <Field label="Authorization endpoint" type="url" value={value.authorizationEndpoint} onChange={(e) => set({ authorizationEndpoint: e.target.value })} error={errors.authorizationEndpoint} placeholder="https://acme.okta.com/oauth2/v1/authorize" />
          <Field label="Token endpoint" type="url" value={value.tokenEndpoint} onChange={(e) => set({ tokenEndpoint: e.target.value })} error={errors.tokenEndpoint} placeholder="https://acme.okta.com/oauth2/v1/token" />
          <Field label="JWKS URI" type="url" value={value.jwksUri} onChange={(e) => set({ jwksUri: e.target.value })} error={errors.jwksUri} placeholder="https://acme.okta.com/oauth2/v1/keys" />
        </>
      )}
      <Field label="Client ID" value={value.clientId} onChange={(e) => set({ clientId: e.target.value })} error={errors.clientId} autoComplete="off" />
      <Field label="Client secret" type="password" value={value.clientSecret} onChange={(e) => set({ clientSecret: e.target.value })} error={errors.clientSecret} autoComplete="new-password"
        hint={secretSet ? 'A secret is stored (never shown). Leave blank to keep it; a new one replaces it.' : 'Stored encrypted; it is never shown again.'} />
      <Field label="Scopes" value={value.scopes} onChange={(e) => set({ scopes: e.target.value })} error={errors.scopes} hint="Separated by spaces; openid is always asked for. Add groups if the IdP sends groups only when asked." />
    </div>
  );
}
