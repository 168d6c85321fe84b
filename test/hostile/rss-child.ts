// Runs the CLI in this process and prints its peak RSS on exit (for the memory-bound tests and bench/soak.ts).
process.on('exit', () => {
  process.stderr.write(`FORENSICS_PEAK_RSS_KB=${process.resourceUsage().maxRSS}\n`);
});
await import('../../src/cli/main.js');
