/** Worker thread entry of {@link readAll}: takes its rules in a first message, then reads one input per request. */
import { parentPort } from 'node:worker_threads';
import { prepareParse } from '../rules/expr/parse.js';
import type { LoadedRule } from '../rules/types.js';
import { whereSources } from '../rules/where.js';
import { readerHandler, type ReaderMessage, type WorkerRequest } from './parallel.js';

if (parentPort) {
  const port = parentPort;
  // Read requests that come while the classifier is being built wait here.
  const waiting: WorkerRequest[] = [];
  let handle: ((req: WorkerRequest) => void) | undefined;
  const start = async (rules: readonly LoadedRule[]): Promise<void> => {
    // Conditions without a stored AST need chevrotain, loaded asynchronously before the classifier is
    // built (on Node < 20.19 it cannot be required synchronously from an ES module).
    await prepareParse(whereSources(rules));
    handle = readerHandler(rules, (m) => port.postMessage(m));
    for (const req of waiting.splice(0)) handle(req);
  };
  port.on('message', (m: ReaderMessage) => {
    if (m.type === 'init') void start(m.rules);
    else if (handle) handle(m);
    else waiting.push(m);
  });
}
