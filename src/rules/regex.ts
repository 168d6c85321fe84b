/**
 * Static checks of rule regexes. Rules come from users; a regex that backtracks catastrophically
 * would hang the run on one long line, so such patterns are refused at load time.
 */

/** A sentence describing why the regex is refused, or null when it is acceptable. */
export function regexProblem(pattern: string, flags = ''): string | null {
  try {
    new RegExp(pattern, flags.replace(/[^imsu]/g, ''));
  } catch (err) {
    return `invalid regex: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
  const risk = backtrackRisk(pattern);
  return risk ? `regex can backtrack catastrophically: ${risk}` : null;
}

/**
 * Detects nested quantifiers (`(a+)+`, `(\w*)*`, `(.*a)*`) and quantified alternations whose
 * branches can match the same text (`(a|a)*`, `(\d|\w)+`): the shapes behind ReDoS.
 */
export function backtrackRisk(pattern: string): string | null {
  // Walk groups with a stack; remember whether each group body contains an unbounded quantifier.
  const stack: Array<{ start: number; quantified: boolean; alts: string[]; altStart: number }> = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '[') {
      i = skipClass(pattern, i);
      continue;
    }
    if (c === '(') {
      stack.push({ start: i, quantified: false, alts: [], altStart: groupBodyStart(pattern, i) });
      i = groupBodyStart(pattern, i);
      continue;
    }
    if (c === '|' && stack.length > 0) {
      const g = stack[stack.length - 1];
      g.alts.push(pattern.slice(g.altStart, i));
      g.altStart = i + 1;
    }
    if (c === ')' && stack.length > 0) {
      const g = stack.pop()!;
      g.alts.push(pattern.slice(g.altStart, i));
      const q = quantifierAt(pattern, i + 1);
      if (q.unbounded) {
        if (g.quantified) return `nested quantifier in "${pattern.slice(g.start, i + 1 + q.length)}"`;
        if (g.alts.length > 1 && overlappingAlternatives(g.alts)) {
          return `alternatives that can match the same text under a quantifier in "${pattern.slice(g.start, i + 1 + q.length)}"`;
        }
      }
      const parent = stack[stack.length - 1];
      if (parent && (g.quantified || q.unbounded)) parent.quantified = true;
      i += 1 + q.length;
      continue;
    }
    if (stack.length > 0 && quantifierAt(pattern, i).unbounded && i > 0) stack[stack.length - 1].quantified = true;
    i++;
  }
  return null;
}

function groupBodyStart(p: string, open: number): number {
  if (p[open + 1] !== '?') return open + 1;
  if (p[open + 2] === '<' && p[open + 3] !== '=' && p[open + 3] !== '!') return p.indexOf('>', open) + 1;
  return open + 3 + (p[open + 2] === '<' ? 1 : 0);
}

function skipClass(p: string, i: number): number {
  let j = i + 1;
  if (p[j] === '^') j++;
  if (p[j] === ']') j++;
  while (j < p.length && p[j] !== ']') j += p[j] === '\\' ? 2 : 1;
  return j + 1;
}

function quantifierAt(p: string, i: number): { unbounded: boolean; length: number } {
  const c = p[i];
  let len = 0;
  let unbounded = false;
  if (c === '*' || c === '+') {
    unbounded = true;
    len = 1;
  } else if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
    if (m) {
      len = m[0].length;
      unbounded = m[2] !== undefined && (m[3] === '' || Number(m[3]) > 10);
    }
  }
  if (len > 0 && (p[i + len] === '?' || p[i + len] === '+')) len++;
  return { unbounded, length: len };
}

/** Conservative: alternatives overlap when one is a prefix of another or both start with a class. */
function overlappingAlternatives(alts: string[]): boolean {
  const firsts = alts.map((a) => firstAtom(a));
  for (let a = 0; a < alts.length; a++) {
    for (let b = a + 1; b < alts.length; b++) {
      const x = firsts[a];
      const y = firsts[b];
      if (x === '' || y === '') return true;
      if (x === y) return true;
      if (isBroad(x) || isBroad(y)) return true;
    }
  }
  return false;
}

function firstAtom(s: string): string {
  if (s === '') return '';
  if (s[0] === '\\') return s.slice(0, 2);
  if (s[0] === '[') return s.slice(0, skipClass(s, 0));
  return s[0];
}

function isBroad(atom: string): boolean {
  return atom === '.' || /^\\[wWdDsS]$/.test(atom) || (atom.startsWith('[') && atom.length > 4);
}

/**
 * Literal runs that every match of the regex contains, for the prefilter: the longest run of plain
 * characters outside groups, classes and optional parts. Returns [] when none can be proven (top-level
 * alternation, or no run of at least 3 characters).
 */
export function regexLiterals(pattern: string, flags = ''): string[] {
  if (flags.includes('i')) return [];
  let depth = 0;
  const runs: string[] = [];
  let cur = '';
  const cut = (): void => {
    if (cur.length >= 3) runs.push(cur);
    cur = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '|' && depth === 0) return [];
    if (c === '\\') {
      const n = pattern[i + 1];
      if (n !== undefined && /[^\w\s]/.test(n) || n === ' ') {
        if (depth === 0) cur += n;
      } else if (depth === 0) cut();
      i++;
      continue;
    }
    if (c === '[') {
      if (depth === 0) cut();
      i = skipClass(pattern, i) - 1;
      continue;
    }
    if (c === '(') {
      if (depth === 0) cut();
      depth++;
      continue;
    }
    if (c === ')') {
      depth--;
      continue;
    }
    if (depth > 0) continue;
    if (c === '*' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(pattern.slice(i)))) {
      // The previous character is optional: drop it from the run.
      cur = cur.slice(0, -1);
      cut();
      if (c === '{') i = pattern.indexOf('}', i);
      continue;
    }
    if (c === '+') {
      const last = cur.slice(-1);
      cut();
      cur = last;
      continue;
    }
    if (c === '.' || c === '^' || c === '$') {
      cut();
      continue;
    }
    cur += c;
  }
  cut();
  if (runs.length === 0) return [];
  runs.sort((a, b) => b.length - a.length);
  return [runs[0]];
}
