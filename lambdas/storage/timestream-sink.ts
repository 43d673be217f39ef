import {
  RejectedRecordsException,
  WriteRecordsCommand,
  type _Record,
  type TimestreamWriteClient,
} from '@aws-sdk/client-timestream-write';
import { SinkError, type RejectedRecord } from './errors.js';
import { MEASURES } from './measures.js';
import type { MeasureRecord, ReadingSink } from './reading-sink.js';

/** Timestream's limit of records per WriteRecords call. */
export const MAX_RECORDS_PER_WRITE = 100;

export interface TimestreamTarget {
  database: string;
  table: string;
}

/**
 * Single-measure records with dimensions `device_id` and `source`, time in milliseconds. Throttling and
 * transient errors are retried with backoff by the client's retry strategy (pass `maxAttempts`).
 * Timestream ignores a record identical to one it holds, so a redelivered message adds nothing.
 */
export class TimestreamSink implements ReadingSink {
  constructor(
    private readonly client: TimestreamWriteClient,
    private readonly target: TimestreamTarget,
  ) {}

  async write(records: readonly MeasureRecord[]): Promise<void> {
    const rejected: RejectedRecord[] = [];
    for (let start = 0; start < records.length; start += MAX_RECORDS_PER_WRITE) {
      const chunk = records.slice(start, start + MAX_RECORDS_PER_WRITE);
      try {
        await this.client.send(
          new WriteRecordsCommand({ DatabaseName: this.target.database, TableName: this.target.table, Records: chunk.map(toTimestream) }),
        );
      } catch (err) {
        if (err instanceof RejectedRecordsException) {
          for (const r of err.RejectedRecords ?? []) {
            const record = r.RecordIndex !== undefined ? chunk[r.RecordIndex] : undefined;
            if (record) rejected.push({ record, reason: r.Reason ?? 'no reason given' });
          }
          if ((err.RejectedRecords ?? []).length === 0) throw new SinkError('timestream', `rejected records: ${err.message}`, { cause: err });
          continue;
        }
        throw new SinkError('timestream', `WriteRecords failed after retries: ${(err as Error).name}: ${(err as Error).message}`, { cause: err });
      }
    }
    if (rejected.length > 0) throw new SinkError('timestream', `${rejected.length} of ${records.length} records rejected`, { rejected });
  }
}

export function toTimestream(r: MeasureRecord): _Record {
  return {
    Dimensions: [
      { Name: 'device_id', Value: r.device },
      { Name: 'source', Value: r.source },
    ],
    MeasureName: r.measure,
    MeasureValue: String(r.value),
    MeasureValueType: MEASURES[r.measure].type,
    Time: String(r.time),
    TimeUnit: 'MILLISECONDS',
  };
}
