/**
 * chevrotain's runtime, from the package's single-file bundle (lib/chevrotain.mjs), loaded when the first
 * expression is parsed.
 *
 * `import 'chevrotain'` resolves to lib/src/api.js, which loads about 690 ES modules (lodash-es) in
 * ~225 ms; the bundle is the same code in one file and loads in ~10 ms. The package's `exports` map does
 * not list it, so it is found next to the entry point that `require.resolve` returns. Only types are
 * imported from 'chevrotain' itself (type imports are erased).
 *
 * Parsing is synchronous, so the bundle is loaded with `require()`, which loads ES modules since Node
 * 20.19 and 22.12: a process that parses nothing, e.g. `analyze` with the built-in pack only (its
 * expressions are parsed when the package is built), never loads it. No top-level `await`: it would
 * keep CommonJS code from `require()`-ing the package. Where `require()` cannot load ES modules (older
 * Node 20, or `--no-experimental-require-module`), {@link preloadChevrotain} must have imported it
 * first; the rule loader does so.
 */
import type * as Chevrotain from 'chevrotain';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The chevrotain API (values: createToken, Lexer, CstParser...). */
export type ChevrotainApi = typeof Chevrotain;

const require = createRequire(import.meta.url);

/** lib/chevrotain.mjs, next to lib/src/api.js (the package's entry point). */
function bundle(): URL {
  return new URL('../chevrotain.mjs', pathToFileURL(require.resolve('chevrotain')));
}

let runtime: ChevrotainApi | undefined;

/** Whether {@link chevrotain} can load the runtime by itself (`require()` of ES modules). */
export function canLoadSynchronously(): boolean {
  return runtime !== undefined || process.features.require_module === true;
}

/** Imports the runtime now if {@link chevrotain} could not load it by itself. */
export async function preloadChevrotain(): Promise<void> {
  if (!canLoadSynchronously()) runtime = (await import(bundle().href)) as ChevrotainApi;
}

/** chevrotain's runtime; loads the bundle on the first call. */
export function chevrotain(): ChevrotainApi {
  if (runtime !== undefined) return runtime;
  if (process.features.require_module !== true) {
    throw new Error('the expression parser could not be loaded: this Node version cannot require() ES modules (Node 20.19 or later can), and it was not imported ahead');
  }
  return (runtime = require(fileURLToPath(bundle())) as ChevrotainApi);
}
