import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderReport } from '../../src/report/index.js';
import { pvek8s } from './helpers.js';

/** Rows of the Markdown table that follows `heading`. */
function table(md: string, heading: string): string[] {
  const start = md.indexOf(heading);
  const lines = md.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[] = [];
  for (let i = first; i < lines.length && lines[i].startsWith('|'); i++) rows.push(lines[i]);
  return rows;
}

/** Cells of a GFM table row (unescaped pipes separate cells). */
function cells(row: string): number {
  return row.replace(/\\\|/g, '').split('|').length - 2;
}

describe('renderMarkdown on the pvek8s report', () => {
  it('matches the reviewed snapshot (times in Australia/Brisbane)', async () => {
    const md = renderMarkdown(pvek8s(), { displayTz: 'Australia/Brisbane', title: 'pvek8s post-power-outage recovery (draft)' });
    await expect(md).toMatchFileSnapshot('./__snapshots__/pvek8s.md');
  });

  it('has the sections of a post-incident review, in order', () => {
    const md = renderMarkdown(pvek8s());
    const order = ['# Post-incident review (draft)', '## Summary', '## Timeline', '## Root cause chains', '## Remediation', '## Inputs analysed'].map((h) =>
      md.indexOf(`${h}\n`),
    );
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('builds a Time | Host | Event table in the display zone, in time order, merging timeline entries', () => {
    const md = renderMarkdown(pvek8s(), { displayTz: 'Australia/Brisbane' });
    const rows = table(md, '## Timeline');
    expect(rows[0]).toBe('| Time (Australia/Brisbane) | Host | Event |');
    const times = rows.slice(2).map((r) => r.split(' | ')[0].slice(2));
    expect([...times].sort()).toEqual(times);
    expect(times[0]).toBe('2026-05-28 20:05:12');
    // The eviction line is a step of two findings: one row, both linked.
    const evict = rows.filter((r) => r.includes('k8s02/syslog:18412'));
    expect(evict).toHaveLength(1);
    expect(evict[0]).toContain('[#1](#finding-1-storage-iscsi-ro-cascade) [#2](#finding-2-k8s-eviction-burst)');
    // A timeline entry with its kind.
    expect(md).toContain('| 2026-05-28 20:23:41.512 | k8s02 | fs.journal_abort: `May 28 20:23:41 k8s02 kernel:');
    for (const r of rows) expect(cells(r)).toBe(3);
  });

  it('writes chains as nested lists with evidence in code blocks under file:line', () => {
    const md = renderMarkdown(pvek8s());
    expect(md).toContain(
      [
        '3. **session_timeout**: `iscsi.session_timeout` on k8s02 at 2026-05-28 10:23:09.201',
        '   - `k8s02/kern.log:5531`',
        '     ```text',
        '     May 28 20:23:09 k8s02 kernel: [ 4422.201377]  session1: session recovery timed out after 120 secs',
        '     ```',
      ].join('\n'),
    );
  });

  it('turns remediation into checklists', () => {
    const md = renderMarkdown(pvek8s());
    const section = md.slice(md.indexOf('## Remediation'), md.indexOf('## Inputs analysed'));
    expect(section.match(/^- \[ \] /gm)).toHaveLength(12);
    expect(section).toContain('- [ ] Alert on CrashLoopBackOff in the ci namespace.');
  });

  it('lists inputs analysed, skipped ones with their reason, and warnings', () => {
    const md = renderMarkdown(pvek8s());
    const rows = table(md, '## Inputs analysed');
    expect(rows).toHaveLength(2 + 10);
    for (const r of rows) expect(cells(r)).toBe(7);
    expect(md).toContain('| `k8s03/journal/system.journal` | skipped: binary systemd journal (export it with journalctl -o export) | k8s03 | 0 | 0 | – | 1 |');
    expect(md).toContain('- `k8s03/syslog.2.gz`: 47 more warnings not listed');
  });

  it('keeps hostile log text from breaking tables, code blocks or injecting HTML', () => {
    const r = pvek8s();
    r.findings[0].title = 'a | b <img src=x onerror=alert(1)> *bold*';
    r.findings[0].steps[1].text = 'line with ``` fence and | pipe and <script>alert(1)</script>';
    const md = renderMarkdown(r);
    for (const row of table(md, '## Timeline')) expect(cells(row)).toBe(3);
    for (const row of table(md, '## Summary')) expect(cells(row)).toBe(5);
    // Outside code (where Markdown shows text literally) no tag survives.
    const prose = md.replace(/^ *(`{3,})text\n[\s\S]*?^ *\1$/gm, '').replace(/(`+).*?\1/g, '');
    expect(prose).not.toMatch(/<img|<script/);
    expect(md).toContain('a \\| b &lt;img src=x onerror=alert(1)&gt; \\*bold\\*');
    expect(md).toContain('````text\n     line with ``` fence and | pipe and <script>alert(1)</script>\n     ````');
  });

  it('keeps a long timeline readable: the 300 most severe extra events, and says how many are left out', () => {
    const r = pvek8s() as ReturnType<typeof pvek8s> & { timeline: Array<Record<string, unknown>> };
    for (let i = 0; i < 1000; i++) {
      r.timeline.push({ time: new Date(Date.parse('2026-05-28T09:00:00Z') + i * 1000).toISOString(), host: 'k8s01', file: 'k8s01/syslog', line: 100 + i, text: `noise ${i}`, severity: i === 999 ? 'high' : 'info' });
    }
    const md = renderMarkdown(r);
    const rows = table(md, '## Timeline');
    expect(rows).toHaveLength(2 + 13 + 300);
    expect(md).toContain('`noise 999`');
    expect(md).toContain('704 less severe events not listed.');
  });

  it('is what renderReport gives for markdown', () => {
    expect(renderReport(pvek8s(), 'markdown', { displayTz: 'UTC' })).toBe(renderMarkdown(pvek8s()));
  });
});
