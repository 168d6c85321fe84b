export type {
  GoFrame,
  Goroutine,
  GoroutineAssemblerOptions,
  GoroutineBucket,
  GoroutineDump,
  GoroutineDumpHeader,
} from './types.js';
export { GoroutineDumpAssembler, type DetailedDump } from './assembler.js';
export { parseGoroutineDump, parseGoroutineDumpSync } from './parse.js';
export { goroutineFormat, bucketTopFunc, bucketStateLabel, emitDump } from './format.js';
