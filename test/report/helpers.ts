import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Report } from '../../src/model/report.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The hand-written report modelled on the pvek8s 2026-05-28 post-incident review. */
export function pvek8s(): Report {
  return JSON.parse(readFileSync(path.join(repoRoot, 'test/report/fixtures/pvek8s-report.json'), 'utf8')) as Report;
}

export const BRISBANE = { k8s01: 'Australia/Brisbane', k8s02: 'Australia/Brisbane', k8s03: 'Australia/Brisbane' };

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** Text as the terminal shows it. */
export function visible(s: string): string {
  return s.replace(ANSI, '');
}

/** Longest line in columns (code points; the renderers emit no wide characters of their own). */
export function widest(s: string): number {
  return Math.max(...visible(s).split('\n').map((l) => [...l].length));
}
