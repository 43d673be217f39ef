import Database from 'better-sqlite3';
import { SinkError, type RejectedRecord } from '../storage/errors.js';
import { MEASURES } from '../storage/measures.js';
import type { MeasureRecord, ReadingSink } from '../storage/reading-sink.js';

/**
 * The local stack's store, in Timestream's record shape: one row per (device_id, source, measure_name,
 * time) with the value in the column of its type, as Timestream's `measure_value::double` etc.
 * Like Timestream, writing an identical record again changes nothing, and a record that differs from the
 * one already stored at the same key is rejected with a reason.
 */
export class SqliteSink implements ReadingSink {
  readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly existing: Database.Statement;
  private readonly writeAll: (records: readonly MeasureRecord[]) => RejectedRecord[];

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS readings (
        device_id TEXT NOT NULL,
        source TEXT NOT NULL,
        measure_name TEXT NOT NULL,
        time INTEGER NOT NULL,
        measure_value_type TEXT NOT NULL,
        measure_value_double REAL,
        measure_value_bigint INTEGER,
        measure_value_varchar TEXT,
        PRIMARY KEY (device_id, source, measure_name, time)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS readings_by_measure ON readings (source, measure_name, time);
    `);
    this.insert = this.db.prepare(`INSERT INTO readings VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`);
    this.existing = this.db.prepare(
      `SELECT measure_value_double AS d, measure_value_bigint AS b, measure_value_varchar AS v FROM readings
       WHERE device_id = ? AND source = ? AND measure_name = ? AND time = ?`,
    );
    this.writeAll = this.db.transaction((records: readonly MeasureRecord[]) => {
      const rejected: RejectedRecord[] = [];
      for (const r of records) {
        const type = MEASURES[r.measure].type;
        const d = type === 'DOUBLE' ? Number(r.value) : null;
        const b = type === 'BIGINT' ? Number(r.value) : null;
        const v = type === 'VARCHAR' ? String(r.value) : null;
        if (this.insert.run(r.device, r.source, r.measure, r.time, type, d, b, v).changes === 1) continue;
        const old = this.existing.get(r.device, r.source, r.measure, r.time) as { d: number | null; b: number | null; v: string | null };
        if (old.d !== d || old.b !== b || old.v !== v) {
          rejected.push({ record: r, reason: `a record with the same dimensions, time and measure name holds ${old.d ?? old.b ?? old.v}` });
        }
      }
      return rejected;
    });
  }

  async write(records: readonly MeasureRecord[]): Promise<void> {
    const rejected = this.writeAll(records);
    if (rejected.length > 0) throw new SinkError('sqlite', `${rejected.length} of ${records.length} records rejected`, { rejected });
  }

  close(): void {
    this.db.close();
  }
}
