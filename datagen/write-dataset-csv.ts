import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { csvChunks } from './csv-writer.js';
import { generateRows, type GenerateOptions } from './scenarios.js';

/**
 * Generates the dataset straight into sink in constant memory: chunks are
 * pulled only as fast as sink drains. Leaves sink open when `end` is false
 * (process.stdout).
 */
export async function writeDatasetCsv(
  options: GenerateOptions,
  sink: Writable,
  { end = true, onRows }: { end?: boolean; onRows?: (written: number) => void } = {},
): Promise<void> {
  const rows = generateRows(options);
  await pipeline(Readable.from(csvChunks(rows, onRows), { objectMode: false }), sink, { end });
}
