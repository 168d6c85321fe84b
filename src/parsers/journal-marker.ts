/** A journalctl marker line: `-- Boot <id> --`, `-- Logs begin at ... --`, `-- No entries --`, `-- Reboot --`. */
export interface JournalMarker {
  kind: 'boot' | 'begin' | 'no-entries' | 'reboot';
  /** Boot id of a `-- Boot <id> --` marker. */
  boot?: string;
}

/** Parses a journalctl marker line; null for anything else. */
export function parseJournalMarker(text: string): JournalMarker | null {
  if (!text.startsWith('-- ')) return null;
  const t = text.trimEnd();
  if (!t.endsWith(' --') || t.length < 7) return null;
  const inner = t.slice(3, -3);
  if (inner.startsWith('Boot ')) {
    const id = inner.slice(5).trim();
    return /^[0-9a-f]{32}$|^[0-9a-f-]{8,40}$/i.test(id) ? { kind: 'boot', boot: id } : null;
  }
  if (inner.startsWith('Logs begin at ') || inner.startsWith('Journal begins at ')) return { kind: 'begin' };
  if (inner === 'No entries') return { kind: 'no-entries' };
  if (inner === 'Reboot') return { kind: 'reboot' };
  return null;
}
