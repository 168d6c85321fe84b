/**
 * Compiler: turns a type-checked AST into a tree of closures. Nothing walks the tree at evaluation time;
 * regexes are compiled once; the only per-call state is one reused frame.
 */
import type { BinOp, Node } from './ast.js';

/** Evaluation state shared by all closures of one compiled expression. */
export interface Frame {
  scope: object;
  captures: Record<string, string> | undefined;
  /** Lambda variables, by slot. */
  locals: unknown[];
}

/** A compiled node. */
export type Fn = (f: Frame) => unknown;

const hasOwn = Object.prototype.hasOwnProperty;

function get(o: unknown, key: string): unknown {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return null;
  if (!hasOwn.call(o, key)) return null;
  const v = (o as Record<string, unknown>)[key];
  return v === undefined ? null : v;
}

/** Value equality: null equals only null; lists compare element-wise; no coercion. */
export function eq(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!eq(a[i], b[i])) return false;
    return true;
  }
  return false;
}

function member(container: unknown, x: unknown): boolean {
  if (x === null || x === undefined) return false;
  if (Array.isArray(container)) {
    for (let i = 0; i < container.length; i++) if (eq(container[i], x)) return true;
    return false;
  }
  if (typeof container === 'string') return typeof x === 'string' && container.includes(x);
  if (container !== null && typeof container === 'object') return typeof x === 'string' && hasOwn.call(container, x);
  return false;
}

function ordered(op: BinOp, l: Fn, r: Fn): Fn {
  const cmp = (a: unknown, b: unknown): number | null =>
    (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string') ? (a < b ? -1 : a > b ? 1 : a === b ? 0 : null) : null;
  switch (op) {
    case '<':
      return (f) => {
        const c = cmp(l(f), r(f));
        return c !== null && c < 0;
      };
    case '<=':
      return (f) => {
        const c = cmp(l(f), r(f));
        return c !== null && c <= 0;
      };
    case '>':
      return (f) => {
        const c = cmp(l(f), r(f));
        return c !== null && c > 0;
      };
    default:
      return (f) => {
        const c = cmp(l(f), r(f));
        return c !== null && c >= 0;
      };
  }
}

function arith(op: BinOp, l: Fn, r: Fn): Fn {
  switch (op) {
    case '+':
      return (f) => {
        const a = l(f);
        const b = r(f);
        if (typeof a === 'number' && typeof b === 'number') return a + b;
        if (typeof a === 'string' && typeof b === 'string') return a + b;
        return null;
      };
    case '-':
      return (f) => {
        const a = l(f);
        const b = r(f);
        return typeof a === 'number' && typeof b === 'number' ? a - b : null;
      };
    case '*':
      return (f) => {
        const a = l(f);
        const b = r(f);
        return typeof a === 'number' && typeof b === 'number' ? a * b : null;
      };
    default:
      return (f) => {
        const a = l(f);
        const b = r(f);
        return typeof a === 'number' && typeof b === 'number' && b !== 0 ? a / b : null;
      };
  }
}

function regexMatch(l: Fn, body: string, flags: string, negate: boolean): Fn {
  const re = new RegExp(body, flags);
  const named = /\(\?<[A-Za-z_$][\w$]*>/.test(body);
  if (negate) {
    return (f) => {
      const s = l(f);
      return typeof s === 'string' && !re.test(s);
    };
  }
  if (!named) {
    return (f) => {
      const s = l(f);
      return typeof s === 'string' && re.test(s);
    };
  }
  return (f) => {
    const s = l(f);
    if (typeof s !== 'string') return false;
    const m = re.exec(s);
    if (m === null) return false;
    const out = f.captures;
    if (out !== undefined && m.groups !== undefined) {
      for (const k in m.groups) {
        const v = m.groups[k];
        if (v !== undefined) out[k] = v;
      }
    }
    return true;
  };
}

/** Compiles a plain path rooted at the scope or at a lambda slot into one closure that walks its segments. */
function compilePath(n: Node): Fn | null {
  const segs: string[] = [];
  let cur = n;
  while (cur.k === 'field' || (cur.k === 'index' && cur.index.k === 'lit' && typeof cur.index.v === 'string')) {
    segs.push(cur.k === 'field' ? cur.name : (cur.index as { v: string }).v);
    cur = cur.obj;
  }
  if (cur.k !== 'name') return null;
  segs.reverse();
  const { name, slot } = cur;
  const n0 = segs.length;
  if (slot !== undefined) {
    if (n0 === 0) return (f) => f.locals[slot] ?? null;
    return (f) => {
      let o: unknown = f.locals[slot];
      for (let i = 0; i < n0 && o !== null; i++) o = get(o, segs[i]!);
      return o ?? null;
    };
  }
  if (n0 === 0) return (f) => get(f.scope, name);
  if (n0 === 1) {
    const s0 = segs[0]!;
    return (f) => get(get(f.scope, name), s0);
  }
  return (f) => {
    let o: unknown = get(f.scope, name);
    for (let i = 0; i < n0 && o !== null; i++) o = get(o, segs[i]!);
    return o;
  };
}

function isConst(n: Node): boolean {
  return n.k === 'lit' || (n.k === 'list' && n.items.every(isConst));
}
function constValue(n: Node): unknown {
  if (n.k === 'lit') return n.v;
  if (n.k === 'list') return n.items.map(constValue);
  return null;
}

/** Compiles a type-checked node. */
export function compileNode(n: Node): Fn {
  if (isConst(n)) {
    const v = constValue(n);
    return () => v;
  }
  switch (n.k) {
    case 'lit':
    case 'regex':
    case 'lambda':
      return () => null;
    case 'list': {
      const items = n.items.map(compileNode);
      return (f) => items.map((it) => it(f));
    }
    case 'name':
    case 'field':
    case 'index': {
      const p = compilePath(n);
      if (p !== null || n.k === 'name') return p ?? (() => null);
      const obj = compileNode(n.obj);
      if (n.k === 'field') {
        const key = n.name;
        return (f) => get(obj(f), key);
      }
      if (n.k === 'index') {
        const idx = compileNode(n.index);
        return (f) => {
          const o = obj(f);
          const i = idx(f);
          if (Array.isArray(o) && typeof i === 'number' && Number.isInteger(i)) return o[i < 0 ? o.length + i : i] ?? null;
          return typeof i === 'string' ? get(o, i) : null;
        };
      }
      return () => null;
    }
    case 'neg': {
      const x = compileNode(n.x);
      return (f) => {
        const v = x(f);
        return typeof v === 'number' ? -v : null;
      };
    }
    case 'not': {
      const x = compileNode(n.x);
      return (f) => x(f) !== true;
    }
    case 'call':
      return compileCall(n);
    case 'bin':
      return compileBin(n);
  }
}

function compileCall(n: Extract<Node, { k: 'call' }>): Fn {
  const a0 = compileNode(n.args[0]!);
  switch (n.fn) {
    case 'any':
    case 'all':
    case 'count': {
      const lam = n.args[1] as Extract<Node, { k: 'lambda' }>;
      const slot = lam.slot!;
      const body = compileNode(lam.body);
      if (n.fn === 'any') {
        return (f) => {
          const xs = a0(f);
          if (!Array.isArray(xs)) return false;
          for (let i = 0; i < xs.length; i++) {
            f.locals[slot] = xs[i];
            if (body(f) === true) return true;
          }
          return false;
        };
      }
      if (n.fn === 'all') {
        return (f) => {
          const xs = a0(f);
          if (!Array.isArray(xs)) return false;
          for (let i = 0; i < xs.length; i++) {
            f.locals[slot] = xs[i];
            if (body(f) !== true) return false;
          }
          return true;
        };
      }
      return (f) => {
        const xs = a0(f);
        if (!Array.isArray(xs)) return 0;
        let c = 0;
        for (let i = 0; i < xs.length; i++) {
          f.locals[slot] = xs[i];
          if (body(f) === true) c++;
        }
        return c;
      };
    }
    case 'len':
      return (f) => {
        const v = a0(f);
        if (typeof v === 'string' || Array.isArray(v)) return v.length;
        if (v !== null && typeof v === 'object') return Object.keys(v).length;
        return null;
      };
    case 'lower':
      return (f) => {
        const v = a0(f);
        return typeof v === 'string' ? v.toLowerCase() : null;
      };
    case 'upper':
      return (f) => {
        const v = a0(f);
        return typeof v === 'string' ? v.toUpperCase() : null;
      };
    case 'int':
      return (f) => {
        const v = a0(f);
        if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : null;
        if (typeof v !== 'string') return null;
        const s = v.trim();
        if (!/^[+-]?(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d+)?)$/.test(s)) return null;
        return Math.trunc(s.startsWith('-0x') || s.startsWith('-0X') ? -Number(s.slice(1)) : Number(s));
      };
    case 'exists':
      return (f) => a0(f) !== null;
  }
  return () => null;
}

function compileBin(n: Extract<Node, { k: 'bin' }>): Fn {
  const l = compileNode(n.l);
  if (n.op === '~' || n.op === '!~') {
    const r = n.r as Extract<Node, { k: 'regex' }>;
    return regexMatch(l, r.body, r.flags, n.op === '!~');
  }
  const r = compileNode(n.r);
  switch (n.op) {
    case 'and':
      return (f) => l(f) === true && r(f) === true;
    case 'or':
      return (f) => l(f) === true || r(f) === true;
    case '==':
      return (f) => eq(l(f), r(f));
    case '!=':
      return (f) => !eq(l(f), r(f));
    case '<':
    case '<=':
    case '>':
    case '>=':
      return ordered(n.op, l, r);
    case 'contains':
      return (f) => {
        const a = l(f);
        const b = r(f);
        if (typeof a === 'string') return typeof b === 'string' && a.includes(b);
        return a !== null && typeof a === 'object' && member(a, b);
      };
    case 'startsWith':
      return (f) => {
        const a = l(f);
        const b = r(f);
        return typeof a === 'string' && typeof b === 'string' && a.startsWith(b);
      };
    case 'endsWith':
      return (f) => {
        const a = l(f);
        const b = r(f);
        return typeof a === 'string' && typeof b === 'string' && a.endsWith(b);
      };
    case 'in':
      return (f) => member(r(f), l(f));
    case 'not in':
      return (f) => {
        const a = l(f);
        const c = r(f);
        return a !== null && c !== null && !member(c, a);
      };
    default:
      return arith(n.op, l, r);
  }
}
