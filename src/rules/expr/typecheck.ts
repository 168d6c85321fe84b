/**
 * Type checker: annotates every AST node with its static type, resolves names (top-level names from the
 * {@link TypeEnv}, lambda variables to slots), and reports errors as data with columns.
 */
import type { Node } from './ast.js';
import { regexRisk } from './regex.js';
import { typeName, type ExprDiagnostic, type ExprType, type TypeEnv } from './types.js';

const STRING: ExprType = { kind: 'string' };
const NUMBER: ExprType = { kind: 'number' };
const BOOL: ExprType = { kind: 'bool' };
const DURATION: ExprType = { kind: 'duration' };
const TIMESTAMP: ExprType = { kind: 'timestamp' };
const NULL: ExprType = { kind: 'null' };
const UNKNOWN: ExprType = { kind: 'unknown' };
const REGEX: ExprType = { kind: 'regex' };

/** Functions of the language and their argument counts. */
export const FUNCTIONS: Record<string, number> = { any: 2, all: 2, count: 2, len: 1, lower: 1, upper: 1, int: 1, exists: 1 };

/** Result of {@link typecheck}. */
export interface CheckResult {
  type: ExprType;
  errors: ExprDiagnostic[];
  /** Top-level paths read, in order of appearance, without duplicates. */
  reads: string[];
  /** Number of lambda variable slots the evaluator needs. */
  slots: number;
}

/** Edit distance counting an adjacent transposition as one edit (`mgs` -> `msg`), case-insensitive. */
function editDistance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest candidate within a small edit distance, or undefined. */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(1, Math.floor(name.length / 3)) + 1;
  for (const c of candidates) {
    const d = c.startsWith(name) || name.startsWith(c) ? Math.min(editDistance(name, c), 2) : editDistance(name, c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best;
}

const isU = (t: ExprType): boolean => t.kind === 'unknown';
const isUN = (t: ExprType): boolean => t.kind === 'unknown' || t.kind === 'null';

/** Whether values of the two types may be equal. */
function comparable(a: ExprType, b: ExprType): boolean {
  if (isUN(a) || isUN(b)) return true;
  if (a.kind !== b.kind) return false;
  if ((a.kind === 'list' || a.kind === 'map') && (b.kind === 'list' || b.kind === 'map')) return comparable(a.of, b.of);
  return true;
}

/** Path text of a name/field/index chain (`klog.kv.pod`), or null when it is not a plain path. */
export function pathOf(n: Node): string | null {
  if (n.k === 'name') return n.name;
  if (n.k === 'field') {
    const p = pathOf(n.obj);
    return p === null ? null : `${p}.${n.name}`;
  }
  if (n.k === 'index') {
    const p = pathOf(n.obj);
    if (p === null) return null;
    if (n.index.k === 'lit' && (n.index.lit === 'string' || n.index.lit === 'number')) return `${p}.${String(n.index.v)}`;
    return p;
  }
  return null;
}

function rootOf(n: Node): Node {
  return n.k === 'field' || n.k === 'index' ? rootOf(n.obj) : n;
}

class Checker {
  errors: ExprDiagnostic[] = [];
  reads: string[] = [];
  slots = 0;
  private lambdas = new Map<string, { type: ExprType; slot: number }>();

  constructor(
    private readonly env: TypeEnv,
    private readonly source: string,
  ) {}

  private err(message: string, s: number, e: number): ExprType {
    this.errors.push({ message, column: s + 1, length: Math.max(1, e - s) });
    return UNKNOWN;
  }

  private text(n: Node): string {
    return this.source.slice(n.s, n.e);
  }

  check(n: Node): ExprType {
    const ty = this.infer(n);
    n.type = ty;
    return ty;
  }

  private expectBool(n: Node, what: string): void {
    const ty = this.check(n);
    if (!isUN(ty) && ty.kind !== 'bool') this.err(`${what} needs a bool, got ${typeName(ty)} (${this.text(n)})`, n.s, n.e);
  }

  private infer(n: Node): ExprType {
    switch (n.k) {
      case 'lit':
        return { kind: n.lit } as ExprType;
      case 'regex':
        this.checkRegex(n);
        return this.err('a regex literal is only allowed after ~ or !~', n.s, n.e), REGEX;
      case 'list': {
        const types = n.items.map((x) => this.check(x));
        const known = types.filter((x) => !isUN(x));
        const first = known[0];
        const same = first !== undefined && known.every((x) => comparable(x, first) && x.kind === first.kind);
        return { kind: 'list', of: same ? first : UNKNOWN };
      }
      case 'name':
      case 'field':
      case 'index': {
        const ty = this.path(n);
        const root = rootOf(n);
        if (!(root.k === 'name' && root.slot !== undefined)) {
          const p = pathOf(n);
          if (p !== null && !this.reads.includes(p)) this.reads.push(p);
        }
        return ty;
      }
      case 'lambda':
        this.err('a lambda (x -> ...) is only allowed as the second argument of any(), all() or count()', n.s, n.e);
        return UNKNOWN;
      case 'neg': {
        const ty = this.check(n.x);
        if (isUN(ty) || ty.kind === 'number' || ty.kind === 'duration') return ty.kind === 'null' ? NULL : ty;
        return this.err(`cannot negate ${typeName(ty)}`, n.s, n.e);
      }
      case 'not':
        this.expectBool(n.x, "'not'");
        return BOOL;
      case 'call':
        return this.call(n);
      case 'bin':
        return this.bin(n);
    }
  }

  private checkRegex(n: Extract<Node, { k: 'regex' }>): void {
    const bad = n.flags.replace(/[imsuvd]/g, '');
    if (bad !== '') {
      this.err(`regex flag "${bad[0]}" is not allowed (use i, m, s, u)`, n.s, n.e);
      return;
    }
    try {
      new RegExp(n.body, n.flags);
    } catch (e) {
      const msg = (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
      this.err(`invalid regex: ${msg}`, n.s, n.e);
      return;
    }
    const risk = regexRisk(n.body, n.flags);
    if (risk !== null) this.err(`unsafe regex: ${risk}`, n.s, n.e);
  }

  /** Type of a name/field/index chain, with "unknown field" errors. */
  private path(n: Node): ExprType {
    if (n.k === 'name') {
      const lam = this.lambdas.get(n.name);
      if (lam !== undefined) {
        n.slot = lam.slot;
        return lam.type;
      }
      const ty = this.env[n.name];
      if (ty !== undefined) return ty;
      if (n.name in FUNCTIONS) return this.err(`${n.name} is a function: write ${n.name}(...)`, n.s, n.e);
      const names = [...Object.keys(this.env), ...this.lambdas.keys()];
      const hint = suggest(n.name, names);
      return this.err(`unknown name "${n.name}"${hint !== undefined ? ` (did you mean "${hint}"?)` : ''}`, n.s, n.e);
    }
    if (n.k === 'field') {
      const objT = this.path(n.obj);
      n.obj.type = objT;
      return this.member(n, objT, n.name);
    }
    if (n.k === 'index') {
      const objT = this.path(n.obj);
      n.obj.type = objT;
      const idxT = this.check(n.index);
      if (objT.kind === 'list') {
        if (!isUN(idxT) && idxT.kind !== 'number') return this.err(`a list index must be a number, got ${typeName(idxT)}`, n.index.s, n.index.e);
        return objT.of;
      }
      if (!isUN(idxT) && idxT.kind !== 'string') return this.err(`a field name in [...] must be a string, got ${typeName(idxT)}`, n.index.s, n.index.e);
      if (objT.kind === 'record' && n.index.k === 'lit' && typeof n.index.v === 'string') return this.member(n, objT, n.index.v);
      if (objT.kind === 'map') return objT.of;
      if (objT.kind === 'record' || isUN(objT)) return UNKNOWN;
      return this.err(`cannot index ${typeName(objT)}`, n.s, n.e);
    }
    return this.check(n);
  }

  private member(n: Node, objT: ExprType, name: string): ExprType {
    switch (objT.kind) {
      case 'unknown':
      case 'null':
        return UNKNOWN;
      case 'map':
        return objT.of;
      case 'record': {
        const f = objT.fields[name];
        if (f !== undefined) return f;
        const base = n.k === 'field' || n.k === 'index' ? pathOf(n.obj) : null;
        const full = base !== null ? `${base}.${name}` : name;
        const hint = suggest(name, Object.keys(objT.fields));
        const hintText = hint !== undefined ? ` (did you mean "${base !== null ? `${base}.${hint}` : hint}"?)` : '';
        return this.err(`unknown field "${full}"${hintText}`, n.s, n.e);
      }
      case 'list':
        return this.err(`cannot read field "${name}" of a ${typeName(objT)}: use any(), all() or count() with a lambda`, n.s, n.e);
      default:
        return this.err(`cannot read field "${name}" of ${typeName(objT)}`, n.s, n.e);
    }
  }

  private call(n: Extract<Node, { k: 'call' }>): ExprType {
    const arity = FUNCTIONS[n.fn];
    if (arity === undefined) {
      const hint = suggest(n.fn, Object.keys(FUNCTIONS));
      for (const a of n.args) if (a.k !== 'lambda') this.check(a);
      return this.err(`unknown function "${n.fn}"${hint !== undefined ? ` (did you mean "${hint}"?)` : ''}`, n.s, n.fnE);
    }
    if (n.args.length !== arity) {
      const shape = arity === 2 ? `${n.fn}(list, x -> condition)` : `${n.fn}(value)`;
      return this.err(`${n.fn}() takes ${arity} argument${arity > 1 ? 's' : ''}: ${shape}`, n.s, n.e);
    }
    const a0 = n.args[0]!;
    switch (n.fn) {
      case 'any':
      case 'all':
      case 'count': {
        const listT = this.check(a0);
        let elem: ExprType = UNKNOWN;
        if (listT.kind === 'list') elem = listT.of;
        else if (!isUN(listT)) this.err(`${n.fn}() needs a list as first argument, got ${typeName(listT)}`, a0.s, a0.e);
        const lam = n.args[1]!;
        if (lam.k !== 'lambda') {
          this.check(lam);
          this.err(`${n.fn}() needs a lambda as second argument, like x -> x.func == "main.main"`, lam.s, lam.e);
        } else {
          const slot = this.slots++;
          lam.slot = slot;
          const saved = this.lambdas.get(lam.param);
          this.lambdas.set(lam.param, { type: elem, slot });
          this.expectBool(lam.body, `the condition of ${n.fn}()`);
          if (saved !== undefined) this.lambdas.set(lam.param, saved);
          else this.lambdas.delete(lam.param);
          lam.type = BOOL;
        }
        return n.fn === 'count' ? NUMBER : BOOL;
      }
      case 'len': {
        const ty = this.check(a0);
        if (!isUN(ty) && !['string', 'list', 'map', 'record'].includes(ty.kind)) this.err(`len() needs a string or a list, got ${typeName(ty)}`, a0.s, a0.e);
        return NUMBER;
      }
      case 'lower':
      case 'upper': {
        const ty = this.check(a0);
        if (!isUN(ty) && ty.kind !== 'string') this.err(`${n.fn}() needs a string, got ${typeName(ty)}`, a0.s, a0.e);
        return STRING;
      }
      case 'int': {
        const ty = this.check(a0);
        if (!isUN(ty) && ty.kind !== 'string' && ty.kind !== 'number') this.err(`int() needs a string or a number, got ${typeName(ty)}`, a0.s, a0.e);
        return NUMBER;
      }
      case 'exists': {
        if (a0.k !== 'name' && a0.k !== 'field' && a0.k !== 'index') {
          this.check(a0);
          this.err('exists() needs a field path, like exists(klog.kv.pod)', a0.s, a0.e);
        } else this.check(a0);
        return BOOL;
      }
    }
    return UNKNOWN;
  }

  private bin(n: Extract<Node, { k: 'bin' }>): ExprType {
    const { op } = n;
    if (op === 'and' || op === 'or') {
      this.expectBool(n.l, `'${op}'`);
      this.expectBool(n.r, `'${op}'`);
      return BOOL;
    }
    const lt = this.check(n.l);
    if (op === '~' || op === '!~') {
      if (n.r.k !== 'regex') {
        this.check(n.r);
        this.err(`${op} needs a regex on the right, like /conn error \\((?<code>\\d+)\\)/`, n.r.s, n.r.e);
      } else {
        this.checkRegex(n.r);
        n.r.type = REGEX;
      }
      if (!isUN(lt) && lt.kind !== 'string') this.err(`${op} needs a string on the left, got ${typeName(lt)}`, n.l.s, n.l.e);
      return BOOL;
    }
    const rt = this.check(n.r);
    const opErr = (msg: string): ExprType => this.err(msg, n.opS, n.opE);
    switch (op) {
      case '==':
      case '!=':
        if (!comparable(lt, rt)) opErr(`cannot compare ${typeName(lt)} with ${typeName(rt)}${this.unitHint(lt, rt, n)}`);
        return BOOL;
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const ordered = (t: ExprType): boolean => isU(t) || ['number', 'duration', 'timestamp', 'string'].includes(t.kind);
        if (lt.kind === 'null' || rt.kind === 'null') opErr(`cannot order null: use == null or exists()`);
        else if (!ordered(lt) || !ordered(rt) || !comparable(lt, rt)) opErr(`cannot compare ${typeName(lt)} with ${typeName(rt)}${this.unitHint(lt, rt, n)}`);
        return BOOL;
      }
      case 'contains':
        if (lt.kind === 'list') {
          if (!comparable(lt.of, rt)) opErr(`cannot look for ${typeName(rt)} in a ${typeName(lt)}`);
        } else if (lt.kind === 'map') {
          if (!isUN(rt) && rt.kind !== 'string') opErr(`contains on a map needs a string key, got ${typeName(rt)}`);
        } else if (!isUN(lt) && lt.kind !== 'string') opErr(`contains needs a string or a list on the left, got ${typeName(lt)}`);
        else if (!isUN(rt) && rt.kind !== 'string') opErr(`contains needs a string on the right, got ${typeName(rt)}`);
        return BOOL;
      case 'startsWith':
      case 'endsWith':
        if (!isUN(lt) && lt.kind !== 'string') opErr(`${op} needs a string on the left, got ${typeName(lt)}`);
        else if (!isUN(rt) && rt.kind !== 'string') opErr(`${op} needs a string on the right, got ${typeName(rt)}`);
        return BOOL;
      case 'in':
      case 'not in':
        if (rt.kind === 'list') {
          if (!comparable(lt, rt.of)) opErr(`cannot look for ${typeName(lt)} in a ${typeName(rt)}`);
        } else if (rt.kind === 'map' || rt.kind === 'string') {
          if (!isUN(lt) && lt.kind !== 'string') opErr(`'${op}' a ${typeName(rt)} needs a string on the left, got ${typeName(lt)}`);
        } else if (!isUN(rt)) opErr(`'${op}' needs a list, a map or a string on the right, got ${typeName(rt)}`);
        return BOOL;
      default:
        return this.arith(n, lt, rt);
    }
  }

  private unitHint(lt: ExprType, rt: ExprType, n: Extract<Node, { k: 'bin' }>): string {
    const numLit = (x: Node): boolean => x.k === 'lit' && x.lit === 'number';
    if ((lt.kind === 'duration' && numLit(n.r)) || (rt.kind === 'duration' && numLit(n.l))) return ' (write the unit, e.g. 10s)';
    return '';
  }

  private arith(n: Extract<Node, { k: 'bin' }>, lt: ExprType, rt: ExprType): ExprType {
    const a = lt.kind;
    const b = rt.kind;
    if (a === 'null' || b === 'null') return this.err(`cannot use null in arithmetic`, n.opS, n.opE);
    if (a === 'unknown' || b === 'unknown') return UNKNOWN;
    const pair = `${a},${b}`;
    switch (n.op) {
      case '+':
        if (pair === 'number,number') return NUMBER;
        if (pair === 'string,string') return STRING;
        if (pair === 'duration,duration') return DURATION;
        if (pair === 'timestamp,duration' || pair === 'duration,timestamp') return TIMESTAMP;
        return this.err(`cannot add ${typeName(lt)} and ${typeName(rt)}`, n.opS, n.opE);
      case '-':
        if (pair === 'number,number') return NUMBER;
        if (pair === 'timestamp,timestamp') return DURATION;
        if (pair === 'timestamp,duration') return TIMESTAMP;
        if (pair === 'duration,duration') return DURATION;
        return this.err(`cannot subtract ${typeName(rt)} from ${typeName(lt)}`, n.opS, n.opE);
      case '*':
        if (pair === 'number,number') return NUMBER;
        if (pair === 'duration,number' || pair === 'number,duration') return DURATION;
        return this.err(`cannot multiply ${typeName(lt)} by ${typeName(rt)}`, n.opS, n.opE);
      case '/':
        if (pair === 'number,number') return NUMBER;
        if (pair === 'duration,number') return DURATION;
        if (pair === 'duration,duration') return NUMBER;
        return this.err(`cannot divide ${typeName(lt)} by ${typeName(rt)}`, n.opS, n.opE);
    }
    return UNKNOWN;
  }
}

/** Type-checks an AST in place (sets `type` and lambda slots on nodes). */
export function typecheck(ast: Node, env: TypeEnv, source: string): CheckResult {
  const c = new Checker(env, source);
  const type = c.check(ast);
  return { type, errors: c.errors, reads: c.reads, slots: c.slots };
}
