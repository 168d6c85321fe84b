import { StringDecoder } from 'node:string_decoder';
import { GoroutineDumpAssembler } from './assembler.js';
import type { GoroutineAssemblerOptions, GoroutineDump } from './types.js';

/** Feeds the lines of `text` (line ends removed); the last line is fed even without a trailing newline. */
function feedText(text: string, feed: (line: string, lineNo: number) => void, firstLine: number): number {
  let lineNo = firstLine;
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) break;
    feed(stripCr(text.slice(start, nl)), lineNo++);
    start = nl + 1;
  }
  if (start < text.length) feed(stripCr(text.slice(start)), lineNo++);
  return lineNo;
}

/** Parses a whole dump held in memory; never throws on malformed text (see each dump's `warnings`). */
export function parseGoroutineDumpSync(text: string, options?: GoroutineAssemblerOptions): GoroutineDump[] {
  const asm = new GoroutineDumpAssembler(options);
  feedText(text, (l, n) => asm.line(l, n), 1);
  return asm.end();
}

/**
 * Parses a dump from a string, an async iterable of chunks (strings or Buffers, split anywhere, even
 * inside a UTF-8 sequence) or a Node readable stream. The result does not depend on the chunking.
 */
export async function parseGoroutineDump(
  input: string | AsyncIterable<string | Buffer> | NodeJS.ReadableStream,
  options?: GoroutineAssemblerOptions,
): Promise<GoroutineDump[]> {
  if (typeof input === 'string') return parseGoroutineDumpSync(input, options);
  const asm = new GoroutineDumpAssembler(options);
  const decoder = new StringDecoder('utf8');
  let lineNo = 1;
  // The torn tail of the previous chunks, kept as pieces so a long line over many tiny chunks stays linear.
  let tail: string[] = [];
  const onChunk = (s: string): void => {
    let nl = s.indexOf('\n');
    if (nl < 0) {
      if (s.length > 0) tail.push(s);
      return;
    }
    let first = s.slice(0, nl);
    if (tail.length > 0) {
      tail.push(first);
      first = tail.join('');
      tail = [];
    }
    asm.line(stripCr(first), lineNo++);
    let start = nl + 1;
    for (;;) {
      nl = s.indexOf('\n', start);
      if (nl < 0) break;
      asm.line(stripCr(s.slice(start, nl)), lineNo++);
      start = nl + 1;
    }
    if (start < s.length) tail.push(s.slice(start));
  };
  for await (const chunk of input as AsyncIterable<string | Buffer>) {
    onChunk(typeof chunk === 'string' ? chunk : decoder.write(chunk));
  }
  onChunk(decoder.end());
  if (tail.length > 0) {
    const last = tail.join('');
    if (last.length > 0) asm.line(stripCr(last), lineNo++);
  }
  return asm.end();
}

function stripCr(s: string): string {
  return s.length > 0 && s.charCodeAt(s.length - 1) === 13 ? s.slice(0, -1) : s;
}
