import { createReadStream, statSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readAll, type ReadTask } from '../../src/ingest/parallel.js';
import { formatById } from '../../src/parsers/registry.js';
import { loadRules } from '../../src/rules/loader.js';
import { Classifier } from '../../src/rules/signatures.js';
import type { LoadedRule } from '../../src/rules/types.js';
import { tmpTree } from '../hostile/helpers.js';

/**
 * Hits the fast path passes over without classifying (a literal in a journal field other than
 * MESSAGE; a kernel line decoded only for its boot anchor) must never hide a signature.
 */
let rules: LoadedRule[];
let classifier: Classifier;
beforeAll(async () => {
  rules = await loadRules([], { builtin: true });
  classifier = new Classifier(rules);
});

function task(abs: string, format: string): ReadTask {
  return { abs, open: () => createReadStream(abs), rel: 'x', host: undefined, compression: 'none', eol: 0x0a, parser: formatById(format)!, year: 2026, tz: 'UTC', size: statSync(abs).size };
}

async function kinds(abs: string, format: string, fast: boolean): Promise<string[]> {
  const [r] = await readAll([task(abs, format)], classifier, { jobs: 1, rules, fast, fastOptions: { anchorLines: true } });
  return r.kept.map((e) => `${e.line} ${e.kind}`);
}

describe('prefilter hits that are not signature candidates', () => {
  it('journal JSON: a literal in the unit field is skipped, one after escaped quotes in MESSAGE is found', async () => {
    const rec = (i: number, message: string, unit = 'snap.microk8s.daemon-kubelite.service'): string =>
      JSON.stringify({ __REALTIME_TIMESTAMP: String(1779970000000000 + i * 1_000_000), _HOSTNAME: 'k8s02', SYSLOG_IDENTIFIER: 'microk8s.daemon-kubelite', _PID: '2345', _SYSTEMD_UNIT: unit, MESSAGE: message });
    const lines = [
      rec(0, 'I0528 20:10:00.000000    2345 server.go:89] "ordinary"', 'snap.microk8s.daemon-k8s-dqlite.service'),
      rec(1, 'E0528 20:10:02.512001    2345 watcher.go:152] "Watch failed" err="read unix @->/var/snap/microk8s/current/var/kubernetes/backend/kine.sock: use of closed network connection"'),
      rec(2, 'a \\"quoted\\" \\\\ path then "kine.sock: broken pipe"'),
      rec(3, 'nothing here', 'kine.sock.service'),
    ];
    const dir = tmpTree({ 'kubelite.json': lines.join('\n') + '\n' });
    const ref = await kinds(`${dir}/kubelite.json`, 'journal-json', false);
    expect(ref).toEqual(['2 kine.sock_error', '3 kine.sock_error']);
    expect(await kinds(`${dir}/kubelite.json`, 'journal-json', true)).toEqual(ref);
  });

  it('syslog: a kernel line holding a signature after the anchor marker is still classified', async () => {
    const lines = [
      'May 28 20:10:00 k8s02 kernel: [ 4500.000000] cni0: port 3(veth1) entered blocking state',
      'May 28 20:10:01 k8s02 kernel: [ 4501.000000]  connection1:0: detected conn error (1020)',
      'May 28 20:10:02 k8s02 app[1]: ordinary',
      'May 28 20:12:01 k8s02 kernel: [ 4621.000000]  session1: session recovery timed out after 120 secs',
    ];
    const dir = tmpTree({ syslog: lines.join('\n') + '\n' });
    const ref = await kinds(`${dir}/syslog`, 'syslog', false);
    expect(ref.length).toBe(2);
    expect(await kinds(`${dir}/syslog`, 'syslog', true)).toEqual(ref);
  });
});
