import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { csvChunks } from '../csv-writer.js';
import { generateScenarioRows, type RobustnessScenario, type ScenarioOptions } from './robustness.js';

/** A scenario's rows as CSV into sink, in the dataset's format and constant memory (as writeDatasetCsv). */
export async function writeScenarioCsv(
  name: RobustnessScenario,
  options: ScenarioOptions,
  sink: Writable,
  { end = true, onRows }: { end?: boolean; onRows?: (written: number) => void } = {},
): Promise<void> {
  await pipeline(Readable.from(csvChunks(generateScenarioRows(name, options), onRows), { objectMode: false }), sink, { end });
}
