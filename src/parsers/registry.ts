import { dmesgFormat } from './dmesg.js';
import { syslogFormat } from './syslog.js';
import type { FormatParser } from './types.js';

/**
 * Every known format, in detection order: on equal scores the earlier one wins, so specific formats
 * come before generic ones.
 */
export const FORMATS: readonly FormatParser[] = [dmesgFormat, syslogFormat];

/** Minimum share of sample lines a format must understand to be chosen. */
export const DETECT_THRESHOLD = 0.5;

/** The best format for a file's first lines, or undefined when none understands enough of them. */
export function detectFormat(lines: readonly string[], formats: readonly FormatParser[] = FORMATS): FormatParser | undefined {
  let best: FormatParser | undefined;
  let bestScore = DETECT_THRESHOLD - Number.EPSILON;
  for (const f of formats) {
    const s = f.detect(lines);
    if (s > bestScore) {
      best = f;
      bestScore = s;
    }
  }
  return best;
}

export function formatById(id: string): FormatParser | undefined {
  return FORMATS.find((f) => f.id === id);
}
