import { useState } from 'react';
import { CopyIcon } from './icons';

export function CopyButton({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="btn btn-sm"
      aria-label={`${copied ? 'Copied' : 'Copy'} ${label}`}
      onClick={async () => {
        await navigator.clipboard?.writeText(value).catch(() => undefined);
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      }}
    >
      <CopyIcon /> {copied ? 'Copied' : 'Copy'}
      <span className="visually-hidden" aria-live="polite">{copied ? `${label} copied` : ''}</span>
    </button>
  );
}
