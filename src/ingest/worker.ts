/** Worker thread entry of {@link readAll}: reads one input per request. */
import { parentPort, workerData } from 'node:worker_threads';
import type { LoadedRule } from '../rules/types.js';
import { serveWorker, type WorkerReply, type WorkerRequest } from './parallel.js';

if (parentPort) {
  const port = parentPort;
  serveWorker(
    {
      on: (ev, f) => port.on(ev, f as (m: unknown) => void),
      postMessage: (m: WorkerReply) => port.postMessage(m),
    },
    (workerData as { rules: LoadedRule[] }).rules,
  );
}
export type { WorkerRequest };
