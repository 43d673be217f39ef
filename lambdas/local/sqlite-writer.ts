import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { MEASURES } from '../storage/measures.js';
import type { WriteRequest, WriterMessage, WriterReply } from './sqlite-sink.js';

/**
 * The SQLite sink's writer thread: inserts in group-committed transactions, and the WAL checkpoints that
 * SQLite runs inside a commit (copying the log into the database and syncing it: tens of ms every few
 * seconds at 1,000 messages a second) happen here, not on the thread that answers the meters.
 */
const port = parentPort!;
const db = new Database((workerData as { file: string }).file);
db.pragma('synchronous = NORMAL');
const insert = db.prepare(`INSERT INTO readings VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`);
const existing = db.prepare(
  `SELECT measure_value_double AS d, measure_value_bigint AS b, measure_value_varchar AS v FROM readings
   WHERE time = ? AND device_id = ? AND source = ? AND measure_name = ?`,
);
const writeAll = db.transaction((batch: readonly WriteRequest[]) =>
  batch.map(({ id, records }) => {
    const rejected: { index: number; reason: string }[] = [];
    records.forEach((r, index) => {
      const type = MEASURES[r.measure].type;
      const d = type === 'DOUBLE' ? Number(r.value) : null;
      const b = type === 'BIGINT' ? Number(r.value) : null;
      const v = type === 'VARCHAR' ? String(r.value) : null;
      if (insert.run(r.time, r.device, r.source, r.measure, type, d, b, v).changes === 1) return;
      const old = existing.get(r.time, r.device, r.source, r.measure) as { d: number | null; b: number | null; v: string | null };
      if (old.d !== d || old.b !== b || old.v !== v) {
        rejected.push({ index, reason: `a record with the same dimensions, time and measure name holds ${old.d ?? old.b ?? old.v}` });
      }
    });
    return { id, rejected };
  }),
);

let queue: WriteRequest[] = [];

/** Requests that arrived while the thread was busy (a commit, a checkpoint) share the next transaction. */
function flush(): void {
  const batch = queue;
  queue = [];
  if (batch.length === 0) return;
  let reply: WriterReply;
  try {
    reply = { kind: 'written', results: writeAll(batch) };
  } catch (err) {
    reply = { kind: 'failed', ids: batch.map((b) => b.id), message: (err as Error).message };
  }
  port.postMessage(reply);
}

port.on('message', (m: WriterMessage) => {
  if (m.kind === 'write') {
    queue.push(m);
    if (queue.length === 1) setImmediate(flush);
    return;
  }
  flush();
  db.close();
  port.close();
});
