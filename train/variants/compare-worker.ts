import { parentPort, workerData } from 'node:worker_threads';
import { runTask, type CompareContext, type CompareTask, type TaskOutcome } from './compare-task.js';
import { serveTasks } from './worker-pool.js';

// One worker thread of `npm run compare`: holds the dataset, fits and scores the tasks it is sent.
const context = workerData as CompareContext;
serveTasks<CompareTask, TaskOutcome>(parentPort!, (task) => runTask(context, task));
