// Stream a merged-per-input timeline of every parsed line, with time quality, without holding the logs in memory.
//   node examples/stream-timeline.mjs <paths...> [--limit 20] [--year 2026] [--tz UTC]
import { openInputs, parse } from 'forensics';

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const limit = Number(opt('--limit') ?? 20);
const year = opt('--year');
const tz = opt('--tz');
if (args.length === 0) {
  console.error('usage: stream-timeline.mjs <paths...> [--limit n] [--year yyyy] [--tz zone]');
  process.exit(2);
}

const { inputs, skipped } = await openInputs(args);
for (const s of skipped) console.error(`skipped ${s.path}: ${s.skipped}`);
for (const input of inputs) {
  console.log(`== ${input.path} (${input.format}${input.compression === 'gzip' ? ', gzip' : ''}, host ${input.host ?? '?'})`);
  let shown = 0;
  for await (const r of parse(input, { year: year ? Number(year) : undefined, tz })) {
    if (r.type === 'end') {
      const s = r.summary;
      console.log(`   ${s.lines} lines, ${s.unparsed} not understood, ${s.first ?? '?'} .. ${s.last ?? '?'}, ${s.warnings.length} warning(s)`);
      for (const w of s.warnings.slice(0, 3)) console.log(`   warning line ${w.line}: ${w.message}`);
      continue;
    }
    if (shown >= limit) continue; // keep reading for the summary; stop early with `break` instead if it is not needed
    shown++;
    const e = r.event;
    const when = Number.isFinite(e.ts) ? new Date(e.ts / 1000).toISOString() : e.mono !== undefined ? `+${e.mono.toFixed(6)}s` : '(no time)';
    const what = r.type === 'goroutine-bucket' ? `${r.bucket.count} goroutine(s) [${r.bucket.state}]` : e.msg;
    console.log(`${when} ${e.quality.padEnd(13)} ${e.host} ${e.file}:${e.line} ${what}`);
  }
}
