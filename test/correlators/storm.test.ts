import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { makeTree } from '../helpers.js';

/**
 * A storm of I/O errors (one line per failed sector) after iSCSI sessions time out: the built-in
 * cascade rule branches per device, not per sector, so its partial matches stay few and the
 * finding is complete (the engine cuts a rule at 100,000 partial matches and reports it).
 */
describe('storage cascade under an I/O error storm', () => {
  it('60 session timeouts and 2,000 distinct failed sectors give one finding per device, not truncated', async () => {
    const t = (s: number): string => {
      const d = new Date(Date.UTC(2026, 4, 28, 10, 21, 0) + s * 1000);
      const two = (v: number): string => String(v).padStart(2, '0');
      return `May 28 ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
    };
    const lines: string[] = [];
    for (let i = 0; i < 60; i++) lines.push(`${t(i)} k8s02 kernel: [ ${5000 + i}.100000] session${i + 1}: session recovery timed out after 120 secs`);
    for (let i = 0; i < 2000; i++) lines.push(`${t(60 + Math.floor(i / 10))} k8s02 kernel: [ ${5060 + i / 10}.200000] blk_update_request: I/O error, dev sdb, sector ${1000 + i * 8} op 0x1:(WRITE) flags 0x800 phys_seg 1 prio class 0`);
    lines.push(`${t(300)} k8s02 kernel: [ 5300.000000] Aborting journal on device sdb-8.`);
    lines.push(`${t(301)} k8s02 kernel: [ 5301.000000] EXT4-fs (sdb): Remounting filesystem read-only`);
    const dir = makeTree({ 'k8s02/kern.log': `${lines.join('\n')}\n` });
    const r = await analyze([dir], { tz: 'UTC', year: 2026, rules: [], builtinRules: true });
    expect(r.meta?.truncatedRules ?? []).toEqual([]);
    const cascade = r.findings.filter((f) => f.rule === 'iscsi-readonly-cascade');
    expect(cascade).toHaveLength(1);
    expect(cascade[0].entities).toMatchObject({ device: 'sdb' });
  });
});
