import { appLogFormat, criLogFormat } from './applog.js';
import { dmesgFormat } from './dmesg.js';
import { goroutineFormat } from './goroutine/index.js';
import { journalFormat } from './journal.js';
import { journalExportFormat } from './journal-export.js';
import { journalJsonFormat } from './journal-json.js';
import { kernLogFormat } from './kernlog.js';
import { kernelTextFormat } from './kernel-text.js';
import { klogFormat } from './klog-file.js';
import { kubeObjectsFormat } from './kube-objects.js';
import { prometheusFormat } from './prometheus.js';
import { syslogFormat } from './syslog.js';
import type { FormatParser } from './types.js';

/**
 * Every known format, in detection order: on equal scores the earlier one wins, so specific formats
 * come before generic ones (journal exports before JSON, Kubernetes object JSON before journal JSON, CRI before plain app logs, journal with
 * markers and kern.log before syslog, timestamped kernel output before untimestamped kernel text).
 */
export const FORMATS: readonly FormatParser[] = [
  journalExportFormat,
  kubeObjectsFormat,
  journalJsonFormat,
  prometheusFormat,
  criLogFormat,
  journalFormat,
  kernLogFormat,
  syslogFormat,
  dmesgFormat,
  klogFormat,
  appLogFormat,
  goroutineFormat,
  kernelTextFormat,
];

/** Minimum share of sample lines a format must understand to be chosen. */
export const DETECT_THRESHOLD = 0.5;

/** The best format for a file's first lines, or undefined when none understands enough of them. */
export function detectFormat(lines: readonly string[], formats: readonly FormatParser[] = FORMATS): FormatParser | undefined {
  let best: FormatParser | undefined;
  let bestScore = DETECT_THRESHOLD - Number.EPSILON;
  for (const f of formats) {
    let s: number;
    try {
      s = f.detect(lines);
    } catch {
      continue;
    }
    if (s > bestScore) {
      best = f;
      bestScore = s;
    }
  }
  return best;
}

/** The format with this id, or undefined. */
export function formatById(id: string): FormatParser | undefined {
  return FORMATS.find((f) => f.id === id);
}
