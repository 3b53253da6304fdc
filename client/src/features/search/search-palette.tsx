import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useQuery } from '@apollo/client/react';
import { useNavigate } from 'react-router';
import { SearchIcon } from '../../components/icons';
import type { SearchKind, SearchQuery as Data } from '../../gql/graphql';
import { SearchQuery } from './api';

type Hit = Data['environment']['search']['hits'][number];

const KINDS: Record<SearchKind, { label: string; path: string }> = {
  ORGANIZATION: { label: 'Organizations', path: '/organizations' },
  CONNECTION: { label: 'Connections', path: '/connections' },
  DIRECTORY: { label: 'Directories', path: '/directories' },
  DIRECTORY_USER: { label: 'Directory users', path: '/directory-users' },
  SESSION: { label: 'Sessions', path: '/sessions' },
};
const ORDER: SearchKind[] = ['ORGANIZATION', 'CONNECTION', 'DIRECTORY', 'DIRECTORY_USER', 'SESSION'];

export const hrefOf = (hit: Pick<Hit, 'kind' | 'id'>) => `${KINDS[hit.kind].path}/${hit.id}`;

/** A complete public ID of a kind the palette opens (the server says whether it exists here). */
const PASTED_ID = /^(org|conn|directory|directory_user|sso_session)_[0-9A-HJKMNP-TV-Z]{26}$/;
const DEBOUNCE_MS = 150;

/**
 * The ⌘K palette: a modal dialog (the page behind is inert, Escape closes it, focus returns to the opener) holding
 * a combobox whose listbox of hits is driven by the arrow keys (aria-activedescendant), Enter opening the active hit.
 * A pasted ID of this environment opens its page directly.
 */
export function SearchPalette({ open, onClose, environmentId, environmentName }: { open: boolean; onClose: () => void; environmentId: string; environmentName: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const isOpen = useRef(open);
  isOpen.current = open;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="dialog palette" aria-label={`Search ${environmentName}`} 
      // As in components/dialog: Escape asks and the state closes; a queued `close` from an earlier closing is ignored.
      onClose={() => { if (isOpen.current && !ref.current?.open) onClose(); }} onCancel={(e) => { e.preventDefault(); onClose(); }}
      onClick={(e) => { if (e.target === ref.current) onClose(); }}>
      {open && <PaletteBody environmentId={environmentId} environmentName={environmentName} onClose={onClose} />}
    </dialog>
  );
}

function PaletteBody({ environmentId, environmentName, onClose }: { environmentId: string; environmentName: string; onClose: () => void }) {
  const navigate = useNavigate();
  const ids = useId();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  useEffect(() => {
    const trimmed = text.trim();
    // A pasted ID needs no pause: it is complete.
    const t = setTimeout(() => setQuery(trimmed), PASTED_ID.test(trimmed) ? 0 : DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text]);
  const skip = query.length < 2;
  const { data, previousData, loading, error } = useQuery(SearchQuery, { variables: { environmentId, query }, skip, fetchPolicy: 'network-only' });
  const result = (data ?? previousData)?.environment.search;
  const hits = useMemo(() => (skip || !result ? [] : [...result.hits].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind))), [skip, result]);
  useEffect(() => setActive(0), [hits]);

  const open = (hit: Pick<Hit, 'kind' | 'id'>) => {
    onClose();
    navigate(hrefOf(hit));
  };
  const jumpTo = data?.environment.search.jumpTo;
  useEffect(() => {
    if (jumpTo && jumpTo.id === query) open(jumpTo);
  }, [jumpTo, query]); // `open` is stable in effect: it only closes and navigates

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' && hits.length) { e.preventDefault(); setActive((a) => (a + 1) % hits.length); }
    else if (e.key === 'ArrowUp' && hits.length) { e.preventDefault(); setActive((a) => (a - 1 + hits.length) % hits.length); }
    else if (e.key === 'Home' && hits.length && e.ctrlKey) { e.preventDefault(); setActive(0); }
    else if (e.key === 'End' && hits.length && e.ctrlKey) { e.preventDefault(); setActive(hits.length - 1); }
    else if (e.key === 'Enter' && hits[active]) { e.preventDefault(); open(hits[active]!); }
  };
  useEffect(() => {
    document.getElementById(`${ids}-hit-${active}`)?.scrollIntoView?.({ block: 'nearest' });
  }, [active, ids]);

  const listId = `${ids}-list`;
  const pending = !skip && (loading || query !== text.trim());
  const status = skip
    ? ''
    : error ? 'Search failed. Try again.'
      : pending && !result ? 'Searching…'
        : hits.length === 0 ? (PASTED_ID.test(query) ? `Nothing in ${environmentName} has this ID.` : `No results for “${query}” in ${environmentName}.`)
          : `${hits.length} result${hits.length === 1 ? '' : 's'}. Use the up and down arrows to choose, Enter to open.`;

  return (
    <div className="palette-body">
      <div className="palette-input-row">
        <SearchIcon />
        <label className="visually-hidden" htmlFor={`${ids}-input`}>Search {environmentName}</label>
        <input
          id={`${ids}-input`} className="palette-input" type="text" role="combobox" autoFocus autoComplete="off" spellCheck={false}
          aria-expanded={hits.length > 0} aria-controls={listId} aria-autocomplete="list" aria-activedescendant={hits.length ? `${ids}-hit-${active}` : undefined}
          aria-describedby={`${ids}-hint`}
          placeholder="Search by name, domain, email or ID" value={text} onChange={(e) => setText(e.target.value)} onKeyDown={onKeyDown}
        />
        <kbd className="palette-esc" aria-hidden="true">Esc</kbd>
      </div>
      <p id={`${ids}-hint`} className="visually-hidden">Finds organizations, connections, directories, directory users and sessions. Paste an ID to open it.</p>
      <ul id={listId} role="listbox" aria-label="Results" className="palette-list">
        {hits.map((hit, index) => {
          const first = index === 0 || hits[index - 1]!.kind !== hit.kind;
          return [
            first && <li key={`${hit.kind}-label`} role="presentation" className="palette-group" aria-hidden="true">{KINDS[hit.kind].label}</li>,
            <li
              key={hit.id} id={`${ids}-hit-${index}`} role="option" aria-selected={index === active} className="palette-option"
              onMouseMove={() => setActive(index)} onMouseDown={(e) => e.preventDefault()} onClick={() => open(hit)}
            >
              <span className="palette-option-title">{hit.title}<span className="visually-hidden">, {KINDS[hit.kind].label.replace(/ies$/, 'y').replace(/s$/, '')}</span></span>
              {hit.detail && <span className="palette-option-detail">{hit.detail}</span>}
            </li>,
          ];
        })}
      </ul>
      <div className="palette-footer">
        <p role="status" aria-live="polite" className="palette-status">{status || `Search ${environmentName}: names and domains, emails (a full address finds its sign-ins), or a pasted ID.`}</p>
      </div>
    </div>
  );
}
