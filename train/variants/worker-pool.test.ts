import { threadId } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { runOnWorkers } from './worker-pool.js';

const entry = new URL('./worker-pool.fixture.ts', import.meta.url);

describe('runOnWorkers', () => {
  it('runs TypeScript workers off this thread and returns results in task order', async () => {
    const seen: number[] = [];
    const results = await runOnWorkers<number, { doubled: number; thread: number }>([1, 2, 3, 4, 5], { workers: 2, entry, workerData: null, onResult: (_, __, i) => seen.push(i) });
    expect(results.map((r) => r.doubled)).toEqual([2, 4, 6, 8, 10]);
    expect(results.every((r) => r.thread !== threadId)).toBe(true);
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('rejects with the worker error, its name and message kept', async () => {
    await expect(runOnWorkers([1, -2, 3], { workers: 2, entry, workerData: null })).rejects.toMatchObject({ name: 'RangeError', message: 'negative input -2' });
  });

  it('starts no worker for no task', async () => {
    expect(await runOnWorkers([], { workers: 2, entry, workerData: null })).toEqual([]);
  });
});
