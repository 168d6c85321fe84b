import type { IncidentResult } from './run.js';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JUnit XML: one test case per incident, one failure message per difference. */
export function toJUnit(results: readonly IncidentResult[], suite = 'forensics regress'): string {
  const failures = results.filter((r) => !r.ok).length;
  const time = results.reduce((a, r) => a + r.seconds, 0);
  const cases = results.map((r) => {
    const head = `    <testcase classname="corpus" name="${esc(r.name)}" time="${r.seconds.toFixed(3)}"`;
    if (r.ok) return `${head}/>`;
    const body = r.error ?? r.differences.map((d) => d.message).join('\n');
    return `${head}>\n      <failure message="${esc(r.error ? 'error' : `${r.differences.length} difference(s)`)}">${esc(body)}</failure>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${results.length}" failures="${failures}" time="${time.toFixed(3)}">`,
    `  <testsuite name="${esc(suite)}" tests="${results.length}" failures="${failures}" time="${time.toFixed(3)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
