import { parentPort, threadId } from 'node:worker_threads';
import { serveTasks } from './worker-pool.js';

// Test worker for worker-pool.test.ts: doubles a number, refuses a negative one, reports its thread.
serveTasks<number, { doubled: number; thread: number }>(parentPort!, async (n) => {
  if (n < 0) throw new RangeError(`negative input ${n}`);
  return { doubled: 2 * n, thread: threadId };
});
