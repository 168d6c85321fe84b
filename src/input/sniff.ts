import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { constants as Z, gunzipSync, inflateRawSync } from 'node:zlib';

/** Bytes of the (decompressed) head used to recognise a file. */
export const SNIFF_BYTES = 64 * 1024;

export type Compression = 'gzip' | 'none';

/** What the first bytes of a file say about it. */
export interface Sniffed {
  compression: Compression;
  /** Set when the content is not text a log parser can read. */
  binary?: string;
  /** Decompressed head, cut at the last complete line when there is one. */
  head: Buffer;
  /** Line terminator: `\r` only when the head has CRs and no LF. */
  eol: 0x0a | 0x0d;
  /**
   * For gzip: why the head could not be decompressed cleanly (damaged header, data, or bytes that are
   * not a gzip member), with the compressed byte offset. The head then holds what came before it.
   */
  gzipProblem?: string;
}

const MAGIC: Array<[string, (b: Buffer) => boolean]> = [
  ['systemd binary journal (export it with `journalctl --file F -o export` or `-o json`)', (b) => b.subarray(0, 8).toString('latin1') === 'LPKSHHRH'],
  ['ELF binary or core dump', (b) => b.readUInt32BE(0) === 0x7f454c46],
  ['tar archive (not supported yet)', (b) => b.length >= 262 && b.subarray(257, 262).toString('latin1') === 'ustar'],
  ['zip archive (not supported)', (b) => b.readUInt32BE(0) === 0x504b0304],
  ['xz-compressed file (not supported)', (b) => b.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))],
  ['zstd-compressed file (not supported)', (b) => b.readUInt32LE(0) === 0xfd2fb528],
  ['bzip2-compressed file (not supported)', (b) => b.subarray(0, 3).toString('latin1') === 'BZh'],
  ['PNG image', (b) => b.readUInt32BE(0) === 0x89504e47],
  ['JPEG image', (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['PDF document', (b) => b.subarray(0, 5).toString('latin1') === '%PDF-'],
  ['GIF image', (b) => b.subarray(0, 4).toString('latin1') === 'GIF8'],
  ['WebP image', (b) => b.length >= 12 && b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP'],
  ['SQLite database', (b) => b.subarray(0, 15).toString('latin1') === 'SQLite format 3'],
  ['7-zip archive (not supported)', (b) => b.subarray(0, 6).equals(Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]))],
  ['pcap network capture', (b) => [0xa1b2c3d4, 0xd4c3b2a1, 0x0a0d0d0a].includes(b.readUInt32BE(0))],
  ['Java class or Mach-O binary', (b) => [0xcafebabe, 0xfeedface, 0xfeedfacf, 0xcffaedfe, 0xcefaedfe].includes(b.readUInt32BE(0))],
  ['Windows executable', (b) => b[0] === 0x4d && b[1] === 0x5a && b.length >= 64 && b.readUInt32LE(60) < b.length && b.subarray(b.readUInt32LE(60), b.readUInt32LE(60) + 4).toString('latin1') === 'PE\0\0'],
];

export function isGzip(b: Buffer): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/** Names binary content, or returns undefined for text (NUL runs in a text file do not make it binary). */
export function binaryKind(head: Buffer): string | undefined {
  if (head.length >= 4) for (const [name, test] of MAGIC) if (test(head)) return name;
  if (head.length === 0) return undefined;
  // Control bytes other than tab/CR/LF/ESC/FF and NUL: text logs have almost none.
  let ctrl = 0;
  let nul = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head[i];
    if (c === 0) nul++;
    else if (c < 0x20 && c !== 9 && c !== 10 && c !== 13 && c !== 27 && c !== 12) ctrl++;
  }
  // A power loss leaves runs of NUL inside text files; only judge by the non-NUL part.
  const rest = head.length - nul;
  if (rest === 0) return undefined;
  if (ctrl / rest > 0.1) return 'binary data (not text)';
  return undefined;
}

/**
 * Reads and recognises the head of a file. `size`, when known, bounds the read so that small files
 * (a folder of 50,000 of them) do not each cost a {@link SNIFF_BYTES} buffer.
 */
export async function sniffFile(path: string, size?: number): Promise<Sniffed> {
  const fh = await open(path, 'r');
  try {
    // One byte more than the known size notices a file that grew since it was measured.
    const want = size === undefined ? SNIFF_BYTES : Math.min(SNIFF_BYTES, size + 1);
    const raw = Buffer.allocUnsafe(Math.max(1, want));
    const { bytesRead } = await fh.read(raw, 0, want, 0);
    return sniffBuffer(raw.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

/**
 * {@link sniffFile} without the thread pool: on many small files four synchronous calls are ten
 * times faster than their promise versions (50,000 files: 0.25 s against 2.5 s).
 */
export function sniffFileSync(path: string, size?: number): Sniffed {
  const fd = openSync(path, 'r');
  try {
    const want = size === undefined ? SNIFF_BYTES : Math.min(SNIFF_BYTES, size + 1);
    const raw = Buffer.allocUnsafe(Math.max(1, want));
    const n = readSync(fd, raw, 0, want, 0);
    return sniffBuffer(raw.subarray(0, n));
  } finally {
    closeSync(fd);
  }
}

/** Recognises content from its first bytes (decompressing a gzip head, even a damaged one). */
export function sniffBuffer(raw: Buffer): Sniffed {
  let compression: Compression = 'none';
  let head = raw;
  let gzipProblem: string | undefined;
  if (isGzip(raw)) {
    compression = 'gzip';
    try {
      // Partial input: a sync flush returns what the head decompresses to without demanding the end.
      head = gunzipSync(raw, { finishFlush: Z.Z_SYNC_FLUSH, maxOutputLength: SNIFF_BYTES * 16 }).subarray(0, SNIFF_BYTES);
      // A cut header decompresses to nothing without an error: say where it stops.
      if (head.length === 0) gzipProblem = gunzipHead(raw).problem;
    } catch {
      // gunzip gives nothing at all when any member is damaged or followed by garbage: walk the members.
      const salvaged = gunzipHead(raw);
      head = salvaged.head;
      gzipProblem = salvaged.problem;
    }
  }
  const binary = binaryKind(head);
  const hasLf = head.includes(0x0a);
  const eol = !hasLf && head.includes(0x0d) ? 0x0d : 0x0a;
  return gzipProblem ? { compression, binary, head, eol, gzipProblem } : { compression, binary, head, eol };
}

/**
 * Decompresses gzip members one by one from the start of `raw` (at most {@link SNIFF_BYTES} of
 * output), stopping at the first damage; says where it stopped and why.
 */
export function gunzipHead(raw: Buffer): { head: Buffer; problem?: string } {
  const out: Buffer[] = [];
  let outLen = 0;
  let pos = 0;
  while (pos < raw.length && outLen < SNIFF_BYTES) {
    if (!isGzip(raw.subarray(pos))) {
      // Zero padding after the last member is common (preallocated files) and harmless.
      if (raw.subarray(pos).every((b) => b === 0)) break;
      return { head: Buffer.concat(out), problem: `bytes after the last gzip member are not gzip data (from byte ${pos})` };
    }
    const body = gzipBodyStart(raw, pos);
    if (body < 0) return { head: Buffer.concat(out), problem: `gzip header damaged or cut at byte ${pos}` };
    try {
      const r = inflateRawSync(raw.subarray(body), { finishFlush: Z.Z_SYNC_FLUSH, maxOutputLength: SNIFF_BYTES * 16, info: true }) as unknown as {
        buffer: Buffer;
        engine: { bytesWritten: number };
      };
      out.push(r.buffer);
      outLen += r.buffer.length;
      const next = body + r.engine.bytesWritten + 8;
      if (next > raw.length) break; // head ends inside this member: not damage
      pos = next;
    } catch (err) {
      return { head: Buffer.concat(out), problem: `gzip data damaged in the member starting at byte ${pos} (${(err as Error).message})` };
    }
  }
  return { head: Buffer.concat(out).subarray(0, SNIFF_BYTES) };
}

/** Offset of the deflate data of the gzip member at `pos` (RFC 1952 header), or -1. */
export function gzipBodyStart(b: Buffer, pos: number): number {
  if (pos + 10 > b.length || b[pos + 2] !== 8) return -1;
  const flg = b[pos + 3];
  let p = pos + 10;
  if (flg & 4) {
    if (p + 2 > b.length) return -1;
    p += 2 + b.readUInt16LE(p);
  }
  for (const bit of [8, 16]) {
    if (flg & bit) {
      const z = b.indexOf(0, p);
      if (z < 0) return -1;
      p = z + 1;
    }
  }
  if (flg & 2) p += 2;
  return p <= b.length ? p : -1;
}

/** The first non-empty lines of a head, decoded, for format detection. */
export function headLines(s: Sniffed, max = 50): string[] {
  const text = s.head.toString('utf8').replace(/\0+/g, '');
  const parts = text.split(s.eol === 0x0d ? '\r' : '\n');
  // The last piece may be cut mid-line when the head is a prefix of the file.
  if (s.head.length >= SNIFF_BYTES && parts.length > 1) parts.pop();
  const out: string[] = [];
  for (const p of parts) {
    const l = p.endsWith('\r') ? p.slice(0, -1) : p;
    if (l.trim() !== '') out.push(l);
    if (out.length >= max) break;
  }
  return out;
}
