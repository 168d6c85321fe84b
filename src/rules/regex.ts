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
  return risk ? `regex can backtrack catastrophically: ${risk}` : null;
}

/** The longest literal every match contains, for the prefilter; [] when none can be proven. */
export function regexLiterals(pattern: string, flags = ''): string[] {
  const lits = regexRequiredLiterals(pattern, flags).filter((l) => l.length >= 3);
  if (lits.length === 0) return [];
  return [lits.reduce((a, b) => (b.length > a.length ? b : a))];
}
