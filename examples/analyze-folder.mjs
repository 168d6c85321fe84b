// Analyse a folder of collected logs and print the report.
//   node examples/analyze-folder.mjs <folder> [--tz Australia/Brisbane] [--year 2026] [--format text|markdown|html|json]
// Ctrl-C stops the analysis cleanly (AbortSignal); progress goes to stderr.
import { analyze, isForensicsError, renderReport } from 'forensics';

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const tz = opt('--tz');
const year = opt('--year');
const format = opt('--format') ?? 'text';
const folder = args[0];
if (!folder) {
  console.error('usage: analyze-folder.mjs <folder> [--tz zone] [--year yyyy] [--format text|markdown|html|json]');
  process.exit(2);
}

const ctl = new AbortController();
process.once('SIGINT', () => ctl.abort());
try {
  const report = await analyze([folder], {
    tz,
    year: year ? Number(year) : undefined,
    signal: ctl.signal,
    onProgress: (p) => process.stderr.write(`\r${p.inputsDone}/${p.inputsTotal} inputs, ${(p.bytesRead / 1e6).toFixed(1)} MB`),
  });
  process.stderr.write('\n');
  process.stdout.write(renderReport(report, format, { width: 100 }));
} catch (err) {
  if (isForensicsError(err, 'E_ABORTED')) process.exit(130);
  if (isForensicsError(err)) {
    console.error(`${err.code}: ${err.message}`);
    process.exit(2);
  }
  throw err;
}
