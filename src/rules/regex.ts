import { regexRequiredLiterals, regexRisk } from './expr/regex.js';

/**
 * Why a rule regex is refused (invalid, or able to backtrack catastrophically on one long line and
 * hang the run), or null when it is acceptable.
 */
export function regexProblem(pattern: string, flags = ''): string | null {
  try {
    new RegExp(pattern, flags);
  } catch (err) {
    return `invalid regex: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
  const risk = regexRisk(pattern, flags);
  if (risk) return `regex can backtrack catastrophically: ${risk}`;
  // Unanchored `\s+$`, `.*$`, `[ ]+$`: tried at every start position, each run scanning to the end of
  // the line: quadratic in line length (a 1 MiB line of spaces takes minutes).
  const tail = QUADRATIC_TAIL.exec(pattern);
  const before = tail ? pattern.slice(0, tail.index) : '';
  // Only when nothing literal comes before the repeat: a literal prefix limits the start positions.
  if (tail && !pattern.startsWith('^') && (before === '' || QUADRATIC_REPEAT_END.test(before))) {
    return 'regex can backtrack quadratically on long lines (an unbounded repeat right before $ with no ^): anchor it with ^ or bound the repeat, e.g. {0,200}';
  }
  return null;
}

const QUADRATIC_TAIL = /(?:\\[sSwWdD]|\.|\[(?:\\.|[^\]])*\])[+*]\??\$$/;
const QUADRATIC_REPEAT_END = /(?:\\[sSwWdD]|\.|\[(?:\\.|[^\]])*\])[+*]\??$/;

/** The longest literal every match contains, for the prefilter; [] when none can be proven. */
export function regexLiterals(pattern: string, flags = ''): string[] {
  const lits = regexRequiredLiterals(pattern, flags).filter((l) => l.length >= 3);
  if (lits.length === 0) return [];
  return [lits.reduce((a, b) => (b.length > a.length ? b : a))];
}
