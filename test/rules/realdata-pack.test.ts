import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { hasRealdata, realdata } from '../helpers.js';

// The built-in pack on real kernel logs that we did not write (../shared/realdata, see PROVENANCE.md).
describe.skipIf(!hasRealdata)('rule pack on real kernel logs', () => {
  it('Longhorn dmesg without timestamps: the cascade is followed in line order up to the missing remount', async () => {
    const file = join(realdata, 'dmesg/dmesg-notimestamp-longhorn-iscsi-offline-jbd2-abort.txt');
    const r = await analyze([file], { host: 'node-x', nearMisses: true });
    expect(r.findings.filter((f) => f.rule === 'iscsi-readonly-cascade')).toEqual([]);
    expect(r.nearMisses).toContainEqual(expect.objectContaining({ rule: 'iscsi-readonly-cascade', matched: 1, of: 2, missing: 'ro', reason: 'not-found' }));
    // The timeout line is the one the chain started from.
    const near = r.nearMisses!.find((n) => n.rule === 'iscsi-readonly-cascade')!;
    expect(near.steps[0]).toMatchObject({ name: 'timeout', line: 26, text: ' session2: session recovery timed out after 120 secs', quality: 'none' });
  });

  it('raw dmesg with no anchor keeps relative time and still correlates within the boot', async () => {
    const file = join(realdata, 'dmesg/dmesg-raw-iscsi-lio-loopback-swap-ioerror-6x.txt');
    const r = await analyze([file], { host: 'node-x', nearMisses: true });
    expect(r.inputs[0].warnings[0].message).toMatch(/relative to the boot/);
    const near = r.nearMisses!.find((n) => n.rule === 'iscsi-readonly-cascade')!;
    expect(near).toMatchObject({ missing: 'ro' });
    expect(near.steps[0]).toMatchObject({ quality: 'relative', time: expect.stringMatching(/^1970-01-01T00:28:\d\d\.\d+Z$/) });
  });
});
