const STATES: Record<string, { label: string; tone: string; hint: string }> = {
  linked: { label: 'Linked', tone: 'badge-success', hint: 'The provider has connected with its token' },
  unlinked: { label: 'Not connected yet', tone: 'badge-warning', hint: 'Waiting for the provider’s first SCIM request' },
  invalid_credentials: { label: 'Invalid credentials', tone: 'badge-danger', hint: 'The provider still sends a rotated-out token' },
};

export function DirectoryStateBadge({ state }: { state: string }) {
  const s = STATES[state] ?? { label: state, tone: '', hint: '' };
  return <span className={`badge ${s.tone}`} title={s.hint}>{s.label}</span>;
}
