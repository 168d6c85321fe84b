/** Duration texts: `500ms 10s 1.5m 1h 2d` (and `us`/`µs`), valued in microseconds. */

const UNIT_US: Record<string, number> = { us: 1, µs: 1, ms: 1_000, s: 1_000_000, m: 60_000_000, h: 3_600_000_000, d: 86_400_000_000 };
const DURATION = /^(\d+(?:\.\d+)?)(us|µs|ms|s|m|h|d)$/;

/** `'10s'` -> `10_000_000` (microseconds); null when the text is not one duration. */
export function parseDuration(text: string): number | null {
  const m = DURATION.exec(text.trim());
  if (m === null) return null;
  return Math.round(Number(m[1]) * UNIT_US[m[2]!]!);
}
