import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { renderText } from '../../src/report/text.js';
import { renderReport } from '../../src/report/index.js';
import type { Report } from '../../src/model/report.js';
import { BRISBANE, pvek8s, visible, widest } from './helpers.js';

describe('renderText on the pvek8s report', () => {
  it('matches the reviewed snapshot (UTC and host local time)', async () => {
    const out = renderText(pvek8s(), { hostTz: BRISBANE });
    await expect(out).toMatchFileSnapshot('./__snapshots__/pvek8s.txt');
  });

  it('puts findings first, most severe first, then the inputs table', () => {
    const out = renderText(pvek8s());
    const order = ['CRITICAL 1/5', 'HIGH 2/5', 'HIGH 3/5', 'MEDIUM 4/5', 'INFO 5/5', 'Inputs'].map((s) => out.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // Same severity: earlier start first (eviction burst 10:21:03 before informer stall 11:19:02).
    expect(out.indexOf('Taint eviction burst')).toBeLessThan(out.indexOf('kubelet informer stalled'));
  });

  it('shows each step with UTC, host local time, host and file:line, and its evidence line', () => {
    const out = renderText(pvek8s(), { hostTz: BRISBANE });
    expect(out).toMatch(/05-28 10:23:09\.201Z {2}20:23:09\+10 {2}k8s02 {2}session_timeout +k8s02\/kern\.log:5531/);
    expect(out).toContain('│ May 28 20:23:41 k8s02 kernel: [ 4454.730029] EXT4-fs (sdb): Remounting filesystem read-only');
    // Boot-anchored and time-less steps are marked.
    expect(out).toMatch(/ ~05-28 10:21:09\.118Z/);
    expect(out).toContain('~ time estimated');
  });

  it('shows UTC only when no zone is given, and the display zone when no host zone is', () => {
    const utc = renderText(pvek8s());
    expect(utc).not.toContain('+10');
    const shown = renderText(pvek8s(), { displayTz: 'Australia/Brisbane', hostTz: { k8s03: 'Europe/Berlin' } });
    expect(shown).toMatch(/05-28 10:21:04\.512Z {2}20:21:04\+10/);
    expect(shown).toMatch(/05-28 11:19:02\.417Z {2}13:19:02\+02/); // CEST on 28 May
  });

  it('shows the local date when it is not the UTC date', () => {
    const r = pvek8s();
    r.findings = [{ ...r.findings[4], steps: r.findings[4].steps.map((s) => ({ ...s, time: '2026-05-28T14:05:00.000Z' })) }];
    expect(renderText(r, { displayTz: 'Australia/Brisbane' })).toContain('05-28 14:05:00.000Z  05-29 00:05:00+10');
  });

  it('lists inputs with format, host, lines, not understood, span and warnings; skipped ones say why', () => {
    const out = renderText(pvek8s());
    expect(out).toMatch(/k8s02\/syslog +syslog +k8s02 +51,877 +3 +05-27 14:00 → 05-28 16:15 +2/);
    expect(out).toMatch(/k8s03\/journal\/system\.journal +skipped +k8s03 +0 +skipped: binary systemd journal/);
    expect(out).toContain('k8s02/syslog:20417  line not understood as syslog');
    expect(out).toContain('k8s03/syslog.2.gz: 54 more warnings');
    expect(out).toContain('9 inputs read, 1 skipped; 223,958 lines, 317 not understood; 64 warnings.');
  });

  it.each([100, 80, 60, 40])('fits every line in %i columns, with and without colour', (width) => {
    for (const color of [false, true]) {
      const out = renderText(pvek8s(), { width, color, hostTz: BRISBANE, title: 'pvek8s power outage 2026-05-28 (k8s01, k8s02, k8s03): post-incident review' });
      expect(widest(out)).toBeLessThanOrEqual(width);
    }
  });

  it('fits 100 columns whatever the text of titles, hosts, paths, entities and lines', () => {
    const str = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '-', '/', ':', '\t', 'x'.repeat(30), '\u001b[31m', '…'), maxLength: 40 });
    fc.assert(
      fc.property(str, str, str, str, (title, host, file, text) => {
        const r = pvek8s();
        r.findings[0] = { ...r.findings[0], title, entities: { [title || 'k']: [text, text] }, remediation: [text], steps: r.findings[0].steps.map((s) => ({ ...s, host, file, text, name: title })) };
        r.inputs[0] = { ...r.inputs[0], path: file + file, host };
        expect(widest(renderText(r, { hostTz: { [host]: 'Asia/Kolkata' } }))).toBeLessThanOrEqual(100);
      }),
      { numRuns: 200 },
    );
  });

  it('uses colours only when asked', () => {
    expect(renderText(pvek8s())).not.toContain('\u001b[');
    const coloured = renderText(pvek8s(), { color: true });
    expect(coloured).toContain('\u001b[');
    expect(visible(coloured)).toBe(renderText(pvek8s()));
  });

  it('cannot be driven by escape sequences inside log lines', () => {
    const r = pvek8s();
    r.findings[0].steps[0].text = 'evil \u001b]0;pwned\u0007 \u001b[2J line';
    const out = renderText(r);
    expect(out).not.toContain('\u001b');
    expect(out).toContain('evil ^[]0;pwned^G ^[[2J line');
  });

  it('says so when there is nothing to report', () => {
    const empty: Report = { schemaVersion: 1, inputs: [], findings: [] };
    const out = renderText(empty);
    expect(out).toContain('No findings.');
    expect(out).toContain('(none)');
    expect(renderReport(empty, 'text')).toBe(out);
  });
});
