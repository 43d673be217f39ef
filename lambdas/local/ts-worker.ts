import { Worker } from 'node:worker_threads';

/**
 * A worker thread running a TypeScript module of this repository. The local stack runs from source (under
 * tsx, or vitest in the tests), and neither's loader reaches worker threads on Node >= 20.6
 * (privatenumber/tsx#354), so the worker registers tsx's hooks itself before importing the module.
 */
export function startTsWorker(module: URL, workerData: unknown): Worker {
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(module.href);
  return new Worker(`import(${tsx}).then((tsx) => { tsx.register(); return import(${entry}); });`, { eval: true, workerData });
}
