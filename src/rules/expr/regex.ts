/**
 * Static analysis of JavaScript regular expressions used in rules: catastrophic-backtracking risk and the
 * literal substrings every match must contain (for cheap `includes` prefilters).
 *
 * A small recursive-descent parser builds a tree of the pattern; character sets are 129-slot bitmaps
 * (128 ASCII code points plus one slot for everything else), which is precise enough to decide overlaps
 * conservatively.
 */

/** 128 ASCII slots + 1 "non-ASCII" slot. */
type CharSet = Uint8Array;
const OTHER = 128;

type RNode =
  | { t: 'char'; c: number; s: number; e: number }
  | { t: 'set'; m: CharSet; s: number; e: number }
  | { t: 'zero'; s: number; e: number }
  | { t: 'backref'; s: number; e: number }
  | { t: 'group'; alts: RNode[][]; s: number; e: number }
  | { t: 'rep'; x: RNode; min: number; max: number; s: number; e: number };

function emptySet(): CharSet {
  return new Uint8Array(129);
}
function fullSet(): CharSet {
  return new Uint8Array(129).fill(1);
}
function addChar(m: CharSet, c: number, icase: boolean): void {
  if (c >= 128) {
    m[OTHER] = 1;
    return;
  }
  m[c] = 1;
  if (icase) {
    const ch = String.fromCharCode(c);
    m[ch.toLowerCase().charCodeAt(0)] = 1;
    m[ch.toUpperCase().charCodeAt(0)] = 1;
  }
}
function addRange(m: CharSet, a: number, b: number, icase: boolean): void {
  for (let c = a; c <= Math.min(b, 127); c++) addChar(m, c, icase);
  if (b >= 128) m[OTHER] = 1;
}
function classSet(k: string): CharSet {
  const m = emptySet();
  const lower = k.toLowerCase();
  if (lower === 'd') addRange(m, 48, 57, false);
  else if (lower === 'w') {
    addRange(m, 48, 57, false);
    addRange(m, 65, 90, false);
    addRange(m, 97, 122, false);
    m[95] = 1;
  } else {
    for (const c of [9, 10, 11, 12, 13, 32]) m[c] = 1;
    m[OTHER] = 1;
  }
  if (k !== lower) {
    for (let i = 0; i < 128; i++) m[i] = m[i] ? 0 : 1;
    m[OTHER] = 1;
  }
  return m;
}
function union(a: CharSet, b: CharSet): void {
  for (let i = 0; i < 129; i++) if (b[i]) a[i] = 1;
}
function intersects(a: CharSet, b: CharSet): boolean {
  for (let i = 0; i < 129; i++) if (a[i] && b[i]) return true;
  return false;
}

class RegexReader {
  i = 0;
  constructor(
    readonly src: string,
    readonly icase: boolean,
  ) {}

  parseAlternation(): RNode[][] {
    const alts: RNode[][] = [this.parseSequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      alts.push(this.parseSequence());
    }
    return alts;
  }

  private parseSequence(): RNode[] {
    const seq: RNode[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const atom = this.parseAtom();
      seq.push(this.parseQuantifier(atom));
    }
    return seq;
  }

  private parseQuantifier(atom: RNode): RNode {
    const s = this.src;
    let min = -1;
    let max = -1;
    const ch = s[this.i];
    if (ch === '*') [min, max] = [0, Infinity];
    else if (ch === '+') [min, max] = [1, Infinity];
    else if (ch === '?') [min, max] = [0, 1];
    else if (ch === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.i, this.i + 24));
      if (m === null) return atom;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      this.i += m[0].length - 1;
    } else return atom;
    this.i++;
    if (s[this.i] === '?') this.i++;
    return this.parseQuantifier({ t: 'rep', x: atom, min, max, s: atom.s, e: this.i });
  }

  private parseAtom(): RNode {
    const s = this.src;
    const start = this.i;
    const ch = s[this.i]!;
    if (ch === '(') {
      this.i++;
      let zero = false;
      if (s[this.i] === '?') {
        const rest = s.slice(this.i, this.i + 4);
        if (rest.startsWith('?:')) this.i += 2;
        else if (rest.startsWith('?=') || rest.startsWith('?!')) (this.i += 2), (zero = true);
        else if (rest.startsWith('?<=') || rest.startsWith('?<!')) (this.i += 3), (zero = true);
        else if (rest.startsWith('?<')) this.i = s.indexOf('>', this.i) + 1 || s.length;
        else this.i = s.indexOf(':', this.i) + 1 || s.length; // modifiers group `(?i:...)`
      }
      const alts = this.parseAlternation();
      if (s[this.i] === ')') this.i++;
      return zero ? { t: 'zero', s: start, e: this.i } : { t: 'group', alts, s: start, e: this.i };
    }
    if (ch === '[') return this.parseClass();
    this.i++;
    if (ch === '.') {
      return { t: 'set', m: fullSet(), s: start, e: this.i };
    }
    if (ch === '^' || ch === '$') return { t: 'zero', s: start, e: this.i };
    if (ch === '\\') return this.parseEscape(start, false) as RNode;
    const cp = s.codePointAt(start)!;
    if (cp > 0xffff) this.i++;
    return { t: 'char', c: cp, s: start, e: this.i };
  }

  /** After a backslash. In a class, returns a code point or a set; else a node. */
  private parseEscape(start: number, inClass: boolean): RNode | number | CharSet {
    const s = this.src;
    const k = s[this.i++] ?? '\\';
    const node = (c: number): RNode | number => (inClass ? c : { t: 'char', c, s: start, e: this.i });
    if ('dDwWsS'.includes(k)) {
      const m = classSet(k);
      return inClass ? m : { t: 'set', m, s: start, e: this.i };
    }
    if (k === 'p' || k === 'P') {
      const close = s.indexOf('}', this.i);
      this.i = close < 0 ? this.i : close + 1;
      return inClass ? fullSet() : { t: 'set', m: fullSet(), s: start, e: this.i };
    }
    if (!inClass && (k === 'b' || k === 'B')) return { t: 'zero', s: start, e: this.i };
    if (!inClass && (k === 'k' || (k >= '1' && k <= '9'))) {
      if (k === 'k') this.i = s.indexOf('>', this.i) + 1 || s.length;
      else while (/\d/.test(s[this.i] ?? '')) this.i++;
      return { t: 'backref', s: start, e: this.i };
    }
    const simple: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, v: 11, '0': 0, b: 8 };
    if (simple[k] !== undefined) return node(simple[k]!);
    if (k === 'c') return node((s.charCodeAt(this.i++) || 64) % 32);
    const hex = k === 'x' ? /^[0-9a-fA-F]{2}/.exec(s.slice(this.i)) : k === 'u' ? /^(?:[0-9a-fA-F]{4}|\{[0-9a-fA-F]+\})/.exec(s.slice(this.i)) : null;
    if (hex !== null) {
      this.i += hex[0].length;
      return node(parseInt(hex[0].replace(/[{}]/g, ''), 16));
    }
    return node(k.codePointAt(0)!);
  }

  private parseClass(): RNode {
    const s = this.src;
    const start = this.i++;
    const negate = s[this.i] === '^';
    if (negate) this.i++;
    const m = emptySet();
    while (this.i < s.length && s[this.i] !== ']') {
      if (s[this.i] === '[') {
        // Nested class (v flag): treat as anything.
        union(m, fullSet());
        const close = s.indexOf(']', this.i);
        this.i = close < 0 ? s.length : close + 1;
        continue;
      }
      const lo = this.classAtom();
      if (typeof lo !== 'number') {
        union(m, lo);
        continue;
      }
      if (s[this.i] === '-' && s[this.i + 1] !== ']' && this.i + 1 < s.length) {
        this.i++;
        const hi = this.classAtom();
        if (typeof hi === 'number') addRange(m, lo, hi, this.icase);
        else (addChar(m, lo, this.icase), union(m, hi), addChar(m, 45, false));
      } else addChar(m, lo, this.icase);
    }
    this.i++;
    if (negate) {
      for (let c = 0; c < 128; c++) m[c] = m[c] ? 0 : 1;
      m[OTHER] = 1;
    }
    return { t: 'set', m, s: start, e: this.i };
  }

  private classAtom(): number | CharSet {
    const s = this.src;
    const start = this.i;
    if (s[this.i] === '\\') {
      this.i++;
      return this.parseEscape(start, true) as number | CharSet;
    }
    const cp = s.codePointAt(this.i)!;
    this.i += cp > 0xffff ? 2 : 1;
    return cp;
  }
}

function parse(pattern: string, flags: string): RNode {
  const r = new RegexReader(pattern, flags.includes('i'));
  const alts = r.parseAlternation();
  return { t: 'group', alts, s: 0, e: pattern.length };
}

function isValid(pattern: string, flags: string): boolean {
  try {
    new RegExp(pattern, flags);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- risk

function nullable(n: RNode): boolean {
  switch (n.t) {
    case 'char':
    case 'set':
      return false;
    case 'zero':
    case 'backref':
      return true;
    case 'group':
      return n.alts.some((alt) => alt.every(nullable));
    case 'rep':
      return n.min === 0 || nullable(n.x);
  }
}

/** Characters that can start a match of the sequence, into `m`; returns whether the whole sequence is nullable. */
function firstOfSeq(seq: RNode[], from: number, m: CharSet, icase: boolean): boolean {
  for (let i = from; i < seq.length; i++) {
    firstOf(seq[i]!, m, icase);
    if (!nullable(seq[i]!)) return false;
  }
  return true;
}
function firstOf(n: RNode, m: CharSet, icase: boolean): void {
  switch (n.t) {
    case 'char':
      addChar(m, n.c, icase);
      return;
    case 'set':
      union(m, n.m);
      return;
    case 'group':
      for (const alt of n.alts) firstOfSeq(alt, 0, m, icase);
      return;
    case 'rep':
      firstOf(n.x, m, icase);
      return;
    case 'backref':
      union(m, fullSet()); // whatever the group matched
      return;
    default:
      return;
  }
}
/** Every character the node can consume. */
function charsOf(n: RNode, m: CharSet, icase: boolean): void {
  switch (n.t) {
    case 'group':
      for (const alt of n.alts) for (const x of alt) charsOf(x, m, icase);
      return;
    case 'rep':
      charsOf(n.x, m, icase);
      return;
    default:
      firstOf(n, m, icase);
  }
}

/** Pure literal text of a sequence, or null. */
function literalOf(seq: RNode[]): string | null {
  let out = '';
  for (const n of seq) {
    if (n.t !== 'char') return null;
    out += String.fromCodePoint(n.c);
  }
  return out;
}

class RiskFinder {
  constructor(
    readonly pattern: string,
    readonly icase: boolean,
  ) {}

  private text(n: RNode): string {
    return this.pattern.slice(n.s, n.e);
  }

  /** Looks for unbounded repeats and checks their bodies. */
  scan(n: RNode): string | null {
    if (n.t === 'group') {
      for (const alt of n.alts) for (const x of alt) {
        const r = this.scan(x);
        if (r !== null) return r;
      }
      return null;
    }
    if (n.t !== 'rep') return null;
    if (n.max > 16) {
      const r = this.checkRepeated(n);
      if (r !== null) return r;
    }
    return this.scan(n.x);
  }

  private checkRepeated(outer: Extract<RNode, { t: 'rep' }>): string | null {
    const body = outer.x;
    if (body.t === 'group' && body.alts.length > 1) {
      for (let a = 0; a < body.alts.length; a++) {
        for (let b = a + 1; b < body.alts.length; b++) {
          if (this.altsOverlap(body.alts[a]!, body.alts[b]!)) {
            return `overlapping alternatives under a quantifier in "${this.text(outer)}": the same text can be split between them in exponentially many ways`;
          }
        }
      }
    }
    const wrap = emptySet();
    firstOf(body, wrap, this.icase);
    const inner = this.findAmbiguousRepeat(body, wrap);
    if (inner !== null) {
      return `nested quantifiers in "${this.text(outer)}": the repeated "${this.text(inner)}" inside a repeat can match the same text in exponentially many ways`;
    }
    return null;
  }

  private altsOverlap(a: RNode[], b: RNode[]): boolean {
    const la = literalOf(a);
    const lb = literalOf(b);
    if (la !== null && lb !== null && !this.icase) return la.startsWith(lb) || lb.startsWith(la);
    const fa = emptySet();
    const fb = emptySet();
    const na = firstOfSeq(a, 0, fa, this.icase);
    const nb = firstOfSeq(b, 0, fb, this.icase);
    return na || nb || intersects(fa, fb);
  }

  /** An inner repeat (max > 1) whose characters overlap what may follow it (`follow`), or null. */
  private findAmbiguousRepeat(n: RNode, follow: CharSet): RNode | null {
    if (n.t === 'rep') {
      if (n.max > 1) {
        const own = emptySet();
        charsOf(n.x, own, this.icase);
        if (intersects(own, follow) || nullable(n.x)) return n;
      }
      const f2 = follow.slice();
      firstOf(n.x, f2, this.icase);
      return this.findAmbiguousRepeat(n.x, f2);
    }
    if (n.t !== 'group') return null;
    for (const alt of n.alts) {
      for (let i = 0; i < alt.length; i++) {
        const f = emptySet();
        if (firstOfSeq(alt, i + 1, f, this.icase)) union(f, follow);
        const r = this.findAmbiguousRepeat(alt[i]!, f);
        if (r !== null) return r;
      }
    }
    return null;
  }
}

/**
 * null when the pattern is safe from catastrophic backtracking, else a sentence naming the problem:
 * nested quantifiers like `(a+)+`, `(.*)*`, overlapping alternations under a quantifier like `(a|a)*`.
 * Conservative: an inner repeat is accepted only when what follows it inside the outer repeat cannot
 * start with a character it consumes (`(\d+\.)+` is safe, `(\w+\s?)+` is not).
 */
export function regexRisk(pattern: string, flags = ''): string | null {
  if (!isValid(pattern, flags.replace(/[^dgimsuvy]/g, ''))) return 'not a valid regular expression';
  const root = parse(pattern, flags);
  return new RiskFinder(pattern, flags.includes('i')).scan(root);
}

// ---------------------------------------------------------------- required literals

interface LitInfo {
  /** The node always matches exactly this text. */
  exact: string | null;
  /** Every match starts / ends with these (when not exact). */
  pre: string;
  suf: string;
  /** Other substrings every match contains. */
  musts: string[];
}

const NOTHING: LitInfo = { exact: null, pre: '', suf: '', musts: [] };
const EMPTY: LitInfo = { exact: '', pre: '', suf: '', musts: [] };

function concat(a: LitInfo, b: LitInfo): LitInfo {
  if (a.exact !== null && b.exact !== null) return { exact: a.exact + b.exact, pre: '', suf: '', musts: [] };
  const pre = a.exact !== null ? a.exact + b.pre : a.pre;
  const suf = b.exact !== null ? a.suf + b.exact : b.suf;
  const musts = [...a.musts, ...b.musts];
  if (a.exact === null && b.exact === null) musts.push(a.suf + b.pre);
  return { exact: null, pre, suf, musts };
}

function commonPrefix(xs: string[]): string {
  let p = xs[0] ?? '';
  for (const x of xs) while (!x.startsWith(p)) p = p.slice(0, -1);
  return p;
}
function commonSuffix(xs: string[]): string {
  let p = xs[0] ?? '';
  for (const x of xs) while (!x.endsWith(p)) p = p.slice(1);
  return p;
}

function litInfo(n: RNode): LitInfo {
  switch (n.t) {
    case 'char':
      return { exact: String.fromCodePoint(n.c), pre: '', suf: '', musts: [] };
    case 'zero':
      return EMPTY;
    case 'set':
    case 'backref':
      return NOTHING;
    case 'group': {
      const infos = n.alts.map((alt) => alt.reduce((acc, x) => concat(acc, litInfo(x)), EMPTY));
      if (infos.length === 1) return infos[0]!;
      if (infos.every((x) => x.exact !== null && x.exact === infos[0]!.exact)) return infos[0]!;
      const pre = commonPrefix(infos.map((x) => x.exact ?? x.pre));
      const suf = commonSuffix(infos.map((x) => x.exact ?? x.suf));
      return { exact: null, pre, suf, musts: [] };
    }
    case 'rep': {
      if (n.min === 0) return NOTHING;
      const x = litInfo(n.x);
      if (x.exact !== null && n.min === n.max && x.exact.length * n.min <= 256) return { ...EMPTY, exact: x.exact.repeat(n.min) };
      return { exact: null, pre: x.exact ?? x.pre, suf: x.exact ?? x.suf, musts: x.musts };
    }
  }
}

/**
 * Longest literal substrings that every match of the regex must contain, longest first (conservative;
 * `[]` when none can be proven, and always `[]` for case-insensitive patterns).
 * `detected conn error \(` gives `['detected conn error (']`.
 */
export function regexRequiredLiterals(pattern: string, flags = ''): string[] {
  if (flags.includes('i') || !isValid(pattern, flags.replace(/[^dgimsuvy]/g, ''))) return [];
  const info = litInfo(parse(pattern, flags));
  const all = info.exact !== null ? [info.exact] : [info.pre, info.suf, ...info.musts];
  return maximal(all);
}

/** Non-empty, deduplicated, without strings contained in others, longest first. */
export function maximal(xs: string[]): string[] {
  const uniq = [...new Set(xs.filter((x) => x.length > 0))].sort((a, b) => b.length - a.length);
  const out: string[] = [];
  for (const x of uniq) if (!out.some((o) => o.includes(x))) out.push(x);
  return out;
}
