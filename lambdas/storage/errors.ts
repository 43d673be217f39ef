import type { MeasureRecord } from './reading-sink.js';

/** Base class of the storage handler's own errors. */
export class StorageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
  }
}

export interface RejectedRecord {
  record: MeasureRecord;
  reason: string;
}

/**
 * A sink could not store every record. It lists each rejected record with the store's reason; the
 * invocation fails so that the IoT rule's error action keeps the message.
 */
export class SinkError extends StorageError {
  readonly sink: string;
  readonly rejected: readonly RejectedRecord[];
  constructor(sink: string, message: string, options?: { cause?: unknown; rejected?: readonly RejectedRecord[] }) {
    const list = options?.rejected ?? [];
    const detail = list
      .slice(0, 5)
      .map((r) => `${r.record.device}/${r.record.source}/${r.record.measure}@${r.record.time}: ${r.reason}`)
      .join('; ');
    super(`${sink}: ${message}${detail ? ` (${detail}${list.length > 5 ? `; and ${list.length - 5} more` : ''})` : ''}`, options);
    this.name = 'SinkError';
    this.sink = sink;
    this.rejected = list;
  }
}
