/** Worker thread entry of {@link readAll}: reads one input per request. */
import { parentPort, workerData } from 'node:worker_threads';
import { prepareParse } from '../rules/expr/parse.js';
import type { LoadedRule } from '../rules/types.js';
import { whereSources } from '../rules/where.js';
import { serveWorker, type WorkerReply, type WorkerRequest } from './parallel.js';

if (parentPort) {
  const port = parentPort;
  const rules = (workerData as { rules: LoadedRule[] }).rules;
  // Conditions without a stored AST need chevrotain, loaded asynchronously before the classifier is
  // built (on Node < 20.19 it cannot be required synchronously from an ES module).
  await prepareParse(whereSources(rules));
  serveWorker(
    {
      on: (ev, f) => port.on(ev, f as (m: unknown) => void),
      postMessage: (m: WorkerReply) => port.postMessage(m),
    },
    rules,
  );
}
export type { WorkerRequest };
