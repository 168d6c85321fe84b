const UNIT: Record<string, number> = { us: 1, ms: 1_000, s: 1_000_000, m: 60_000_000, h: 3_600_000_000, d: 86_400_000_000 };

/** `500ms`, `10s`, `5m`, `1.5h`, `2d` to microseconds; null when the text is not a duration. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(us|ms|s|m|h|d)$/.exec(text.trim());
  return m ? Math.round(Number(m[1]) * UNIT[m[2]]) : null;
}

/** Microseconds to a short text: `2m 0s`, `450ms`. */
export function formatDuration(us: number): string {
  const abs = Math.abs(us);
  if (abs < 1_000) return `${us}µs`;
  if (abs < 1_000_000) return `${Math.round(us / 1_000)}ms`;
  if (abs < 60_000_000) return `${+(us / 1_000_000).toFixed(abs < 10_000_000 ? 1 : 0)}s`;
  const s = Math.round(abs / 1_000_000);
  const sign = us < 0 ? '-' : '';
  if (s < 3600) return `${sign}${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86400) return `${sign}${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${sign}${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}
