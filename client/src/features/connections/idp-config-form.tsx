import { useId, useState } from 'react';
import { Field } from '../../components/field';

export type IdpSource = 'url' | 'xml' | 'manual';

export interface IdpConfigValue {
  source: IdpSource;
  metadataUrl: string;
  metadataXml: string;
  idpEntityId: string;
  idpSsoUrl: string;
  certificate: string;
}

export const emptyIdpConfig = (initial: Partial<IdpConfigValue> = {}): IdpConfigValue => ({
  source: 'url', metadataUrl: '', metadataXml: '', idpEntityId: '', idpSsoUrl: '', certificate: '', ...initial,
});

/** The GraphQL input fields for the chosen source only: metadata wins on the server, so send one source. */
export function idpConfigInput(value: IdpConfigValue) {
  if (value.source === 'url') return value.metadataUrl.trim() ? { metadataUrl: value.metadataUrl.trim() } : {};
  if (value.source === 'xml') return value.metadataXml.trim() ? { metadataXml: value.metadataXml } : {};
  const input: { idpEntityId?: string; idpSsoUrl?: string; idpCertificates?: string[] } = {};
  if (value.idpEntityId.trim()) input.idpEntityId = value.idpEntityId;
  if (value.idpSsoUrl.trim()) input.idpSsoUrl = value.idpSsoUrl;
  if (value.certificate.trim()) input.idpCertificates = value.certificate.split(/(?<=-----END CERTIFICATE-----)/).map((c) => c.trim()).filter(Boolean);
  return input;
}

const SOURCES: { value: IdpSource; label: string }[] = [
  { value: 'url', label: 'Metadata URL' },
  { value: 'xml', label: 'Metadata XML' },
  { value: 'manual', label: 'Enter manually' },
];

/** Where the IdP's configuration comes from: its metadata URL, its metadata file, or the three values by hand. */
export function IdpConfigForm({ value, onChange, errors }: { value: IdpConfigValue; onChange: (v: IdpConfigValue) => void; errors: Record<string, string> }) {
  const xmlId = useId();
  const certId = useId();
  const [fileError, setFileError] = useState<string | null>(null);
  const set = (patch: Partial<IdpConfigValue>) => onChange({ ...value, ...patch });
  const certError = Object.entries(errors).find(([k]) => k.startsWith('idpCertificates'))?.[1];
  return (
    <div className="stack">
      <div className="segmented" role="group" aria-label="Where the configuration comes from">
        {SOURCES.map((s) => <button key={s.value} type="button" aria-pressed={value.source === s.value} onClick={() => set({ source: s.value })}>{s.label}</button>)}
      </div>
      {value.source === 'url' && (
        <Field label="IdP metadata URL" type="url" value={value.metadataUrl} onChange={(e) => set({ metadataUrl: e.target.value })} error={errors.metadataUrl}
          placeholder="https://acme.okta.com/app/exk…/sso/saml/metadata" hint="Portico fetches it once now; the certificates and SSO URL are read from it." />
      )}
      {value.source === 'xml' && (
        <div className="field">
          <label htmlFor={xmlId}>IdP metadata XML</label>
          <textarea id={xmlId} className="textarea" value={value.metadataXml} onChange={(e) => set({ metadataXml: e.target.value })} aria-invalid={errors.metadataXml || fileError ? true : undefined}
            placeholder={'<md:EntityDescriptor entityID="…">…'} rows={6} />
          <input type="file" accept=".xml,application/xml,text/xml" aria-label="Upload metadata file" onChange={async (e) => {
            const file = e.target.files?.[0];
            if (!file) return;
            if (file.size > 1024 * 1024) return setFileError('The file is larger than 1 MB.');
            setFileError(null);
            set({ metadataXml: await file.text() });
          }} />
          {(errors.metadataXml || fileError) && <span className="error">{errors.metadataXml ?? fileError}</span>}
        </div>
      )}
      {value.source === 'manual' && (
        <>
          <Field label="IdP entity ID (issuer)" value={value.idpEntityId} onChange={(e) => set({ idpEntityId: e.target.value })} error={errors.idpEntityId} placeholder="http://www.okta.com/exk…" />
          <Field label="IdP SSO URL" type="url" value={value.idpSsoUrl} onChange={(e) => set({ idpSsoUrl: e.target.value })} error={errors.idpSsoUrl} placeholder="https://acme.okta.com/app/…/sso/saml" />
          <div className="field">
            <label htmlFor={certId}>X.509 signing certificate(s)</label>
            <textarea id={certId} className="textarea" value={value.certificate} onChange={(e) => set({ certificate: e.target.value })} aria-invalid={certError ? true : undefined}
              placeholder={'-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----'} rows={6} />
            <span className="hint">Paste one or more PEM certificates (the current one and, during a rotation, the next one).</span>
            {certError && <span className="error">{certError}</span>}
          </div>
        </>
      )}
    </div>
  );
}
