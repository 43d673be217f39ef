import { Worker } from 'node:worker_threads';

/**
 * Runs tasks on a few worker threads, each task on the first free worker, results in task order.
 *
 * The worker script is TypeScript. Node 20 does not apply `--import tsx` in a worker's execArgv before it
 * loads the entry file (ERR_UNKNOWN_FILE_EXTENSION), so each worker starts from ts-worker.mjs, which
 * registers tsx's ESM loader and then imports the .ts entry. From compiled .js the entry loads directly.
 *
 * Message protocol: the pool posts `{ id, task }`; the worker answers `{ id, result }` or `{ id, error }`.
 */
export interface PoolOptions<T, R> {
  workers: number;
  /** URL of the worker module (`new URL('./x.ts', import.meta.url)`). */
  entry: URL;
  /** Sent once to every worker as `workerData`. */
  workerData: unknown;
  onResult?: (result: R, task: T, index: number) => void;
}

export async function runOnWorkers<T, R>(tasks: readonly T[], options: PoolOptions<T, R>): Promise<R[]> {
  const results = new Array<R>(tasks.length);
  if (tasks.length === 0) return results;
  const count = Math.max(1, Math.min(options.workers, tasks.length));
  const workers = Array.from({ length: count }, () => spawn(options.entry, options.workerData));
  let next = 0;
  try {
    await Promise.all(
      workers.map(async (worker) => {
        while (next < tasks.length) {
          const index = next++;
          const result = await call<R>(worker, index, tasks[index]);
          results[index] = result;
          options.onResult?.(result, tasks[index], index);
        }
      }),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

function spawn(entry: URL, workerData: unknown): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData });
  return new Worker(new URL('./ts-worker.mjs', import.meta.url), { argv: [entry.href], workerData });
}

function call<R>(worker: Worker, id: number, task: unknown): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const onMessage = (m: { id: number; result?: R; error?: { name: string; message: string } }) => {
      if (m.id !== id) return;
      cleanup();
      if (m.error) {
        const err = new Error(m.error.message);
        err.name = m.error.name;
        reject(err);
      } else resolve(m.result as R);
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`worker exited with code ${code} during task ${id}`));
    };
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ id, task });
  });
}

/** The worker side: answers each `{ id, task }` with `handle(task)`'s result or its error. */
export function serveTasks<T, R>(port: { on(event: 'message', fn: (m: { id: number; task: T }) => void): unknown; postMessage(m: unknown): void }, handle: (task: T) => Promise<R>): void {
  port.on('message', ({ id, task }) => {
    handle(task).then(
      (result) => port.postMessage({ id, result }),
      (err: Error) => port.postMessage({ id, error: { name: err?.name ?? 'Error', message: err?.message ?? String(err) } }),
    );
  });
}
