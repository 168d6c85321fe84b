// Bucket a Go goroutine dump by identical stacks (the panicparse use case).
//   node examples/bucket-dump.mjs <dump.txt>
import { createReadStream } from 'node:fs';
import { bucketStateLabel, bucketTopFunc, parseGoroutineDump } from 'forensics';

const file = process.argv[2];
if (!file) {
  console.error('usage: bucket-dump.mjs <dump.txt>');
  process.exit(2);
}
// A stream is read chunk by chunk: a multi-GB dump is never held as one string.
const dumps = await parseGoroutineDump(createReadStream(file));
for (const dump of dumps) {
  console.log(`dump at lines ${dump.startLine}-${dump.endLine}: ${dump.goroutineCount} goroutines in ${dump.buckets.length} buckets`);
  for (const b of dump.buckets) {
    const wait = b.waitMinutes ? ` waiting ${b.waitMinutes.min}-${b.waitMinutes.max} min` : '';
    const creator = b.createdBy ? `, created by ${b.createdBy.func}${b.createdBy.goroutine !== undefined ? ` in goroutine ${b.createdBy.goroutine}` : ''}` : '';
    console.log(`  ${String(b.count).padStart(5)} ${bucketStateLabel(b)} ${bucketTopFunc(b)}${wait}${creator} (ids ${b.ids.slice(0, 5).join(', ')}${b.ids.length > 5 ? ', ...' : ''})`);
  }
  for (const w of dump.warnings) console.log(`  warning at line ${w.line}: ${w.message}`);
}
