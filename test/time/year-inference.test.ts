import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { timeline } from '../../src/timeline.js';
import { cli, makeTree } from '../helpers.js';

const journalJson = (iso: string, msg: string): string =>
  JSON.stringify({ __REALTIME_TIMESTAMP: String(Date.parse(iso) * 1000), _HOSTNAME: 'node-a', SYSLOG_IDENTIFIER: 'kubelite', _PID: '12', MESSAGE: msg });

describe('year of year-less timestamps', () => {
  it('comes from a dated source of the same host, before the file time', async () => {
    const dir = makeTree({
      'node-a/kubelite.json': `${journalJson('2024-12-30T23:50:00Z', 'started')}\n${journalJson('2024-12-31T10:00:00Z', 'still running')}\n`,
      'node-a/syslog': 'Dec 31 09:59:00 node-a cron[1]: (root) CMD (true)\nDec 31 10:00:00 node-a kernel: [  10.000000] hello\n',
    });
    // The file times say 2030: the journal's 2024 must win.
    for (const f of ['node-a/kubelite.json', 'node-a/syslog']) utimesSync(join(dir, f), new Date('2030-06-01'), new Date('2030-06-01'));
    const r = await analyze([dir], { tz: 'UTC' });
    expect(r.inputs.find((i) => i.path === 'node-a/syslog')).toMatchObject({ first: '2024-12-31T09:59:00.000Z', last: '2024-12-31T10:00:00.000Z' });
    // --year still overrides everything.
    const forced = await analyze([dir], { tz: 'UTC', year: 2026 });
    expect(forced.inputs.find((i) => i.path === 'node-a/syslog')?.first).toBe('2026-12-31T09:59:00.000Z');
  });

  it("is the dated source's newest year, also when its first lines are in the year before", async () => {
    // Year-less files are read while the dated ones are, in the year the dated files' first lines
    // suggest (2024 here); the journal then ends in 2025, so the syslog is read again in 2025.
    const before = Array.from({ length: 30 }, (_, i) => journalJson(`2024-12-31T23:${String(20 + i).padStart(2, '0')}:00Z`, `tick ${i}`));
    const dir = makeTree({
      'node-a/kubelite.json': [...before, journalJson('2025-01-01T00:20:00Z', 'still running')].join('\n') + '\n',
      'node-a/syslog': 'Jan  1 00:10:00 node-a cron[1]: (root) CMD (true)\nJan  1 00:11:00 node-a app[1]: hello\n',
    });
    for (const jobs of [1, 2]) {
      const r = await analyze([dir], { tz: 'UTC', jobs });
      expect(r.inputs.find((i) => i.path === 'node-a/syslog')).toMatchObject({ first: '2025-01-01T00:10:00.000Z', last: '2025-01-01T00:11:00.000Z', lines: 2 });
      expect(r.inputs.map((i) => i.path)).toEqual(['node-a/kubelite.json', 'node-a/syslog']);
    }
  });

  it('a file that crosses New Year ends in the assumed year', async () => {
    const dir = makeTree({ 'h/syslog': 'Dec 31 23:59:58 h app[1]: a\nJan  1 00:00:02 h app[1]: b\n' });
    const r = await analyze([dir], { tz: 'UTC', year: 2027 });
    expect(r.inputs[0]).toMatchObject({ first: '2026-12-31T23:59:58.000Z', last: '2027-01-01T00:00:02.000Z' });
  });
});

describe('forensics timeline', () => {
  it('merges hosts in time order and filters by time, host and regex', async () => {
    const dir = makeTree({
      'a/syslog': 'May 28 20:21:03 a app[1]: first on a\nMay 28 20:21:09 a app[1]: third on a\n',
      'b/dmesg.txt': 'May 28 10:21:05 b kernel: [  5.000000] second on b\n',
    });
    const { entries } = await timeline([dir], { tz: 'Australia/Brisbane', year: 2026 });
    // b's syslog is in UTC wall time under tz=Brisbane: the line printed 10:21:05 is 00:21:05 UTC.
    expect(entries.map((e) => e.text.replace(/^.*: (\[ *[\d.]+\] )?/, ''))).toEqual(['second on b', 'first on a', 'third on a']);
    const only = await timeline([dir], { tz: 'UTC', year: 2026, hosts: ['a'], grep: 'THIRD' });
    expect(only.entries.map((e) => [e.time, e.host])).toEqual([['2026-05-28T20:21:09.000Z', 'a']]);
    const r = cli(['timeline', dir, '--tz', 'UTC', '--year', '2026', '--since', '2026-05-28T20:21:04Z']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toMatch(/^2026-05-28T20:21:09\.000Z +~ a +a\/syslog:2 +May 28 20:21:09 a app\[1\]: third on a$/m);
    expect(cli(['timeline', dir, '--since', 'yesterday']).stderr).toMatch(/--since: "yesterday" is not an ISO 8601 time/);
  });
});
