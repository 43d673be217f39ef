import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { SinkError, type RejectedRecord } from '../storage/errors.js';
import type { MeasureRecord, ReadingSink } from '../storage/reading-sink.js';
import { startTsWorker } from './ts-worker.js';

export interface WriteRequest {
  kind: 'write';
  id: number;
  records: readonly MeasureRecord[];
}
export type WriterMessage = WriteRequest | { kind: 'close' };
export type WriterReply =
  | { kind: 'written'; results: { id: number; rejected: { index: number; reason: string }[] }[] }
  | { kind: 'failed'; ids: number[]; message: string };

/**
 * The local stack's store, in Timestream's record shape: one row per (time, device_id, source,
 * measure_name) with the value in the column of its type, as Timestream's `measure_value::double` etc.
 * The key starts with time so that inserts append to the B-tree (three times cheaper than keying by device).
 * Like Timestream, writing an identical record again changes nothing, and a record that differs from the
 * one already stored at the same key is rejected with a reason.
 *
 * better-sqlite3 is synchronous, so the writes run on their own thread (`sqlite-writer.ts`). On the stack's
 * event loop they took 16 % of its time at 1,000 messages a second, and a commit that ran a WAL checkpoint
 * held up every prediction behind it (7 ms on an idle machine, up to 180 ms on a busy one). With the writer
 * thread the loop is busy 50 % of the time instead of 65 %, for 0.09 of a core more in all (copying the
 * records to the thread). This thread keeps a connection for reading (`db`).
 */
export class SqliteSink implements ReadingSink {
  /** For reading (the dashboard, tests); WAL lets it read while the writer thread commits. */
  readonly db: Database.Database;
  private readonly writer: Worker;
  private readonly pending = new Map<number, { records: readonly MeasureRecord[]; resolve: () => void; reject: (err: Error) => void }>();
  private nextId = 0;
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS readings (
        time INTEGER NOT NULL,
        device_id TEXT NOT NULL,
        source TEXT NOT NULL,
        measure_name TEXT NOT NULL,
        measure_value_type TEXT NOT NULL,
        measure_value_double REAL,
        measure_value_bigint INTEGER,
        measure_value_varchar TEXT,
        PRIMARY KEY (time, device_id, source, measure_name)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS theft_alerts ON readings (time)
        WHERE source = 'model' AND measure_name = 'prediction' AND measure_value_varchar <> 'normal';
    `);
    this.writer = startTsWorker(new URL('./sqlite-writer.ts', import.meta.url), { file });
    this.writer.on('message', (m: WriterReply) => this.settle(m));
    this.writer.on('error', (err) => this.fail(err));
    this.writer.on('exit', (code) => this.fail(new Error(`writer thread exited with code ${code}`)));
  }

  /**
   * Writes that reach the writer thread while it is busy share one transaction (group commit): at 1,000
   * messages a second a transaction per message costs twice the CPU. Each caller still learns about its own
   * records only.
   */
  write(records: readonly MeasureRecord[]): Promise<void> {
    if (this.failure) return Promise.reject(new SinkError('sqlite', this.failure.message, { cause: this.failure }));
    if (this.closing) return Promise.reject(new SinkError('sqlite', 'the sink is closed'));
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { records, resolve, reject });
      this.writer.postMessage({ kind: 'write', id, records } satisfies WriterMessage);
    });
  }

  /** Waits for the writes sent so far, then closes both connections. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (!this.failure) {
        const exited = once(this.writer, 'exit');
        this.writer.postMessage({ kind: 'close' } satisfies WriterMessage);
        await exited;
      }
      this.db.close();
    })();
    return this.closing;
  }

  private settle(m: WriterReply): void {
    if (m.kind === 'failed') {
      for (const id of m.ids) this.take(id)?.reject(new SinkError('sqlite', m.message));
      return;
    }
    for (const { id, rejected } of m.results) {
      const w = this.take(id);
      if (!w) continue;
      if (rejected.length === 0) {
        w.resolve();
        continue;
      }
      const own: RejectedRecord[] = rejected.map((r) => ({ record: w.records[r.index], reason: r.reason }));
      w.reject(new SinkError('sqlite', `${own.length} of ${w.records.length} records rejected`, { rejected: own }));
    }
  }

  private take(id: number) {
    const w = this.pending.get(id);
    this.pending.delete(id);
    return w;
  }

  /** The writer thread died: every write waiting for it, and every later one, fails with the reason. */
  private fail(err: Error): void {
    this.failure ??= err;
    for (const [id, w] of this.pending) {
      this.pending.delete(id);
      w.reject(new SinkError('sqlite', this.failure.message, { cause: this.failure }));
    }
  }
}
