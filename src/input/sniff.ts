import { open } from 'node:fs/promises';
import { constants as Z, gunzipSync } from 'node:zlib';

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

/** Reads and recognises the head of a file. */
export async function sniffFile(path: string): Promise<Sniffed> {
  const fh = await open(path, 'r');
  try {
    const raw = Buffer.allocUnsafe(SNIFF_BYTES);
    const { bytesRead } = await fh.read(raw, 0, SNIFF_BYTES, 0);
    return sniffBuffer(raw.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

export function sniffBuffer(raw: Buffer): Sniffed {
  let compression: Compression = 'none';
  let head = raw;
  if (isGzip(raw)) {
    compression = 'gzip';
    try {
      // Partial input: a sync flush returns what the head decompresses to without demanding the end.
      head = gunzipSync(raw, { finishFlush: Z.Z_SYNC_FLUSH, maxOutputLength: SNIFF_BYTES * 16 }).subarray(0, SNIFF_BYTES);
    } catch {
      head = Buffer.alloc(0);
    }
  }
  const binary = binaryKind(head);
  const hasLf = head.includes(0x0a);
  const eol = !hasLf && head.includes(0x0d) ? 0x0d : 0x0a;
  return { compression, binary, head, eol };
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
