import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { parseCliOptions, USAGE, type CliOptions } from './cli-options.js';
import { OptionError } from './errors.js';
import { progressBar } from './progress-bar.js';
import { writeScenarioCsv } from './scenarios/write-scenario-csv.js';
import { writeDatasetCsv } from './write-dataset-csv.js';

/** Below this many rows the run is too quick for a progress bar to help. */
const PROGRESS_MIN_ROWS = 200_000;

/**
 * Lets generation run up to 1 MiB ahead of the disk; with the 16 KiB default
 * the CPU idles through every write (measured: ~25 % fewer rows/s).
 */
const FILE_BUFFER_BYTES = 1 << 20;

const EXIT_USAGE = 2;
const EXIT_FAILURE = 1;

async function main(argv: readonly string[]): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCliOptions(argv);
  } catch (error) {
    if (!(error instanceof OptionError)) throw error;
    process.stderr.write(`datagen: ${error.message}\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const toStdout = options.out === '-';
  // Status goes where it cannot mix with CSV written to stdout.
  const status = toStdout ? process.stderr : process.stdout;
  if (options.seedFromClock) status.write(`datagen: seed ${options.seed} (from the clock)\n`);

  const bar =
    process.stderr.isTTY && options.rows >= PROGRESS_MIN_ROWS ? progressBar(process.stderr, options.rows) : undefined;
  const generate = { seed: options.seed, rows: options.rows, weights: options.weights };
  const scenario = options.scenario;
  const write = (sink: Writable, how: { end?: boolean; onRows?: (n: number) => void }) =>
    scenario ? writeScenarioCsv(scenario, generate, sink, how) : writeDatasetCsv(generate, sink, how);
  try {
    if (toStdout) {
      await write(process.stdout, { end: false, onRows: bar?.update });
    } else {
      await mkdir(dirname(options.out), { recursive: true });
      const file = createWriteStream(options.out, { highWaterMark: FILE_BUFFER_BYTES });
      await write(file, { onRows: bar?.update });
    }
  } catch (error) {
    // A closed pipe (`| head`) is the reader being done, not a failure.
    if (toStdout && (error as NodeJS.ErrnoException).code === 'EPIPE') return 0;
    // Start a fresh line if the progress bar holds the current one.
    process.stderr.write(`${bar ? '\n' : ''}datagen: ${(error as Error).message}\n`);
    return EXIT_FAILURE;
  }
  bar?.finish();
  if (!toStdout) status.write(`datagen: wrote ${options.rows} rows to ${options.out}\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
