import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { makeTree } from '../helpers.js';

const MSGS = ['Linux version 6.8.0-60-generic', 'Command line: BOOT_IMAGE=/vmlinuz', 'scsi host2: iSCSI Initiator over TCP/IP', 'sd 2:0:0:0: [sdb] Attached SCSI disk', 'connection1:0: detected conn error (1020)'];
const MONO = [0, 0.000123, 12.5, 13.25, 5168.112233];
// Boot at 2026-05-28 09:55:00.400 UTC (dmesg -T shows whole seconds, in the host's local zone).
const BOOT = Date.UTC(2026, 4, 28, 9, 55, 0, 400);
const fmtT = (ms: number): string => {
  const d = new Date(ms + 10 * 3600_000); // Australia/Brisbane
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${day} ${mon} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
};

describe('boot anchoring of raw dmesg', () => {
  it('pairs the same kernel messages of a raw dmesg and a dmesg -T of the host', async () => {
    const dir = makeTree({
      'k8s02/dmesg': MSGS.map((m, i) => `[${MONO[i].toFixed(6).padStart(12)}] ${m}`).join('\n') + '\n',
      'k8s02/dmesg-T.txt': MSGS.map((m, i) => `[${fmtT(BOOT + MONO[i] * 1000)}] ${m}`).join('\n') + '\n',
    });
    const r = await analyze([dir], { tz: 'Australia/Brisbane', timeline: true });
    const raw = r.inputs.find((i) => i.path === 'k8s02/dmesg')!;
    expect(raw.warnings).toEqual([]);
    // Within the second that -T's whole seconds allow.
    const last = Date.parse(raw.last!);
    expect(Math.abs(last - (BOOT + 5168112.233))).toBeLessThan(1000);
    const conn = r.timeline!.find((t) => t.file === 'k8s02/dmesg' && t.text.includes('conn error'))!;
    expect(conn.quality).toBe('boot-anchored');
  });

  it('without any anchor, keeps relative time and says so', async () => {
    const dir = makeTree({ 'k8s02/dmesg': MSGS.map((m, i) => `[${MONO[i].toFixed(6).padStart(12)}] ${m}`).join('\n') + '\n' });
    const r = await analyze([dir], {});
    expect(r.inputs[0].first).toBeNull();
    expect(r.inputs[0].warnings[0].message).toMatch(/could not be anchored/);
  });
});
