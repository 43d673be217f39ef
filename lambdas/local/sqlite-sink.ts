import Database from 'better-sqlite3';
import { SinkError, type RejectedRecord } from '../storage/errors.js';
import { MEASURES } from '../storage/measures.js';
import type { MeasureRecord, ReadingSink } from '../storage/reading-sink.js';

/**
 * The local stack's store, in Timestream's record shape: one row per (time, device_id, source,
 * measure_name) with the value in the column of its type, as Timestream's `measure_value::double` etc.
 * The key starts with time so that inserts append to the B-tree (three times cheaper than keying by device).
 * Like Timestream, writing an identical record again changes nothing, and a record that differs from the
 * one already stored at the same key is rejected with a reason.
 */
export class SqliteSink implements ReadingSink {
  readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly existing: Database.Statement;
  private readonly writeAll: (records: readonly MeasureRecord[]) => RejectedRecord[];
  private readonly queue: { records: readonly MeasureRecord[]; resolve: () => void; reject: (err: Error) => void }[] = [];

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
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
    this.insert = this.db.prepare(`INSERT INTO readings VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`);
    this.existing = this.db.prepare(
      `SELECT measure_value_double AS d, measure_value_bigint AS b, measure_value_varchar AS v FROM readings
       WHERE time = ? AND device_id = ? AND source = ? AND measure_name = ?`,
    );
    this.writeAll = this.db.transaction((records: readonly MeasureRecord[]) => {
      const rejected: RejectedRecord[] = [];
      for (const r of records) {
        const type = MEASURES[r.measure].type;
        const d = type === 'DOUBLE' ? Number(r.value) : null;
        const b = type === 'BIGINT' ? Number(r.value) : null;
        const v = type === 'VARCHAR' ? String(r.value) : null;
        if (this.insert.run(r.time, r.device, r.source, r.measure, type, d, b, v).changes === 1) continue;
        const old = this.existing.get(r.time, r.device, r.source, r.measure) as { d: number | null; b: number | null; v: string | null };
        if (old.d !== d || old.b !== b || old.v !== v) {
          rejected.push({ record: r, reason: `a record with the same dimensions, time and measure name holds ${old.d ?? old.b ?? old.v}` });
        }
      }
      return rejected;
    });
  }

  /**
   * Writes of the same event-loop turn share one transaction (group commit): at 1,000 messages a second
   * a transaction per message costs twice the CPU. Each caller still learns about its own records only.
   */
  write(records: readonly MeasureRecord[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      if (this.queue.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.queue.splice(0);
    let rejected: RejectedRecord[];
    try {
      rejected = this.writeAll(batch.flatMap((b) => b.records));
    } catch (err) {
      for (const b of batch) b.reject(new SinkError('sqlite', (err as Error).message, { cause: err }));
      return;
    }
    for (const b of batch) {
      const own = rejected.filter((r) => b.records.includes(r.record));
      if (own.length === 0) b.resolve();
      else b.reject(new SinkError('sqlite', `${own.length} of ${b.records.length} records rejected`, { rejected: own }));
    }
  }

  close(): void {
    if (this.queue.length > 0) this.flush();
    this.db.close();
  }
}
