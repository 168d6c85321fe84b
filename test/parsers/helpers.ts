import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LogEvent } from '../../src/model/event.js';
import type { FormatParser, ParseContext } from '../../src/parsers/types.js';

export const repoRoot = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const realdata = path.resolve(repoRoot, '../shared/realdata');
export const haveReal = existsSync(realdata);
export const fixtures = path.join(repoRoot, 'test/fixtures/parsers');

/** Splits text as the line reader does: `\n` ends a line, a trailing `\r` is removed, a last line without newline kept. */
export function splitLines(text: string): string[] {
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

export interface ParseResult {
  events: LogEvent[];
  unparsed: number[];
  warnings: Array<{ line: number; message: string }>;
}

/** Feeds lines to a format's parser like read-input does (blank lines are not counted as unparsed). */
export function parseLines(format: FormatParser, lines: readonly string[], ctx: Partial<ParseContext> = {}): ParseResult {
  const events: LogEvent[] = [];
  const unparsed: number[] = [];
  const warnings: Array<{ line: number; message: string }> = [];
  const p = format.create(
    { file: ctx.file ?? 'test.log', host: ctx.host, year: ctx.year ?? 2026, tz: ctx.tz ?? 'UTC', warn: (line, message) => warnings.push({ line, message }) },
    (e) => events.push(e),
  );
  let offset = 0;
  lines.forEach((l, i) => {
    if (!p.line(l, i + 1, offset) && l.trim() !== '') unparsed.push(i + 1);
    offset += Buffer.byteLength(l) + 1;
  });
  p.end();
  return { events, unparsed, warnings };
}

export const parseText = (format: FormatParser, text: string, ctx: Partial<ParseContext> = {}): ParseResult => parseLines(format, splitLines(text), ctx);

export const readReal = (rel: string): string => readFileSync(path.join(realdata, rel), 'utf8');
export const readFixture = (name: string): string => readFileSync(path.join(fixtures, name), 'utf8');

/** First non-blank lines of a text, as detection sees them. */
export function head(text: string, max = 50): string[] {
  return splitLines(text).filter((l) => l.trim() !== '').slice(0, max);
}
