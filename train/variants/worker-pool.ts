import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { threadId, Worker } from 'node:worker_threads';

const REPO = path.resolve(import.meta.dirname, '../..');

/**
 * Runs tasks on a few worker threads, each task on the first free worker, results in task order.
 *
 * The worker script is TypeScript. Node 20 does not apply `--import tsx` in a worker's execArgv before it
 * loads the entry file (ERR_UNKNOWN_FILE_EXTENSION), and even through tsx's loader every worker would
 * transpile the whole import graph again (measured: 1.0-1.5 s per worker, more than a 12-variant grid's
 * fits on this data). So a .ts entry is bundled once per process with esbuild (about 0.15 s) into
 * node_modules/.cache/gridsentry, where bare imports still resolve to the project's node_modules, and every
 * worker loads that one file. A .js entry loads directly.
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
  const workers = await Promise.all(Array.from({ length: count }, () => spawn(options.entry, options.workerData)));
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

async function spawn(entry: URL, workerData: unknown): Promise<Worker> {
  return new Worker(entry.pathname.endsWith('.ts') ? await bundled(entry) : entry, { workerData });
}

const bundles = new Map<string, Promise<URL>>();

/** The entry and everything it imports (packages excluded) as one ES module file, named by its content hash. */
function bundled(entry: URL): Promise<URL> {
  let made = bundles.get(entry.href);
  if (!made) {
    made = (async () => {
      const { build } = await import('esbuild');
      const out = await build({ entryPoints: [fileURLToPath(entry)], bundle: true, platform: 'node', format: 'esm', packages: 'external', write: false, logLevel: 'error' });
      const code = out.outputFiles[0].contents;
      const dir = path.join(REPO, 'node_modules', '.cache', 'gridsentry');
      const file = path.join(dir, `${path.basename(entry.pathname, '.ts')}-${createHash('sha256').update(code).digest('hex').slice(0, 12)}.mjs`);
      if (!existsSync(file)) {
        await mkdir(dir, { recursive: true });
        // Written beside, then renamed: a test file running in parallel never loads half a bundle.
        const tmp = `${file}.${process.pid}.${threadId}.tmp`;
        await writeFile(tmp, code);
        await rename(tmp, file);
      }
      return pathToFileURL(file);
    })();
    bundles.set(entry.href, made);
  }
  return made;
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
