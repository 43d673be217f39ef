import type { MeasureName } from './measures.js';

/** One stored value: the shape Timestream, InfluxDB and the local SQLite sink all receive. */
export interface MeasureRecord {
  device: string;
  /** `feeder`, `transformer1`..`transformer3`, or `model` for predictions. */
  source: string;
  measure: MeasureName;
  value: number | string;
  /** Milliseconds since the epoch, UTC. */
  time: number;
}

/** Port of the storage handler. Writing the same records twice must not create duplicates. */
export interface ReadingSink {
  write(records: readonly MeasureRecord[]): Promise<void>;
}
