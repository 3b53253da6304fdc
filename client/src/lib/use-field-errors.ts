import { useState } from 'react';
import { readError } from './errors';

/**
 * The server's field errors for the last attempt, minus those of fields edited since: an error describes the value
 * that was sent, so it goes once the value changes. `formError` is the error to show in the banner, or null once
 * every field it marked has been edited.
 */
export function useFieldErrors(error: unknown) {
  const [edited, setEdited] = useState<{ error: unknown; fields: string[] }>({ error: null, fields: [] });
  const stale = edited.error === error ? edited.fields : [];
  const isStale = (key: string) => stale.some((f) => key === f || key.startsWith(`${f}.`) || key.startsWith(`${f}[`));
  const all = readError(error)?.fields ?? {};
  const fields = Object.fromEntries(Object.entries(all).filter(([key]) => !isStale(key)));
  const markedAll = Object.keys(all).length > 0 && Object.keys(fields).length === 0;
  return {
    fields,
    formError: markedAll ? null : error,
    /** Call from a field's onChange. */
    edited: (field: string) => { if (error && !stale.includes(field)) setEdited({ error, fields: [...stale, field] }); },
  };
}
