import { createWriteStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { choiceOption, parseCliArgs, runCli, UsageError } from '../train/cli-args.js';
import { InferError } from './errors.js';
import { CsvTableReader } from './feature-table.js';
import { loadPredictor } from './load-artifacts.js';
import type { FeatureRow, Prediction, Predictor } from './predictor.js';
import { explainModel } from './explain.js';

const USAGE = `usage: npm run infer -- --input rows.csv|rows.jsonl|- [options]

  --model DIR              folder with model.json and scaler.json (default models)
  --input PATH             rows to score; - reads standard input
  --format csv|jsonl       input format (default: from the file name, csv for -)
  --out PATH               write results there instead of standard output
  --output-format F        jsonl (default) or csv
  --explain                describe the model (features, units, calibration, classes, metrics) and exit

CSV input needs a header naming the model's features (any order; extra columns such as label are ignored).
JSONL input: one object per line keyed by feature name, or an array of the features in model order.
Each result: line, label, decision (one-vs-one values, pair order as printed by --explain), out_of_range.
A bad row gets an error result naming its line and feature; the other rows are still scored (exit code 1).`;

export interface ScoredLine {
  line: number;
  prediction?: Prediction;
  error?: string;
}

/** Scores input lines one at a time, in input order; a bad line becomes an error result and scoring goes on. */
export async function* scoreLines(predictor: Predictor, lines: AsyncIterable<string>, format: 'csv' | 'jsonl', file?: string): AsyncGenerator<ScoredLine> {
  const names = [...predictor.featureNames];
  const where = file ?? 'input';
  const csv = format === 'csv' ? new CsvTableReader({ featureNames: names, file: where }) : undefined;
  let lineNo = 0;
  for await (const raw of lines) {
    lineNo++;
    try {
      if (csv) {
        const row = csv.parseLine(raw);
        if (row) yield { line: lineNo, prediction: predictor.predict(row.values) };
        continue;
      }
      if (raw.trim() === '') continue;
      let row: unknown;
      try {
        row = JSON.parse(raw);
      } catch (err) {
        throw new InferError(`${where}:${lineNo}: not valid JSON: ${(err as Error).message}`);
      }
      yield { line: lineNo, prediction: predictor.predict(row as FeatureRow) };
    } catch (err) {
      // A bad header makes every row unreadable: stop. A bad row is reported and the rest still scored.
      if (!(err instanceof InferError) || (csv && lineNo === 1)) throw err;
      yield { line: lineNo, error: err.message.startsWith(`${where}:`) ? err.message : `${where}:${lineNo}: ${err.message}` };
    }
  }
  if (csv && lineNo === 0) throw new InferError(`${where}: empty input, expected a header line`);
}

function formatResult(result: ScoredLine, predictor: Predictor, format: 'jsonl' | 'csv'): string {
  const p = result.prediction;
  if (format === 'jsonl') {
    return `${JSON.stringify(p ? { line: result.line, label: p.label, decision: p.decision, out_of_range: p.outOfRange } : { line: result.line, error: result.error })}\n`;
  }
  if (!p) return `${result.line},,${new Array(predictor.pairCount).fill('').join(',')},,${JSON.stringify(result.error)}\n`;
  return `${result.line},${p.label},${p.decision.join(',')},${p.outOfRange.join(';')},\n`;
}

async function main(): Promise<void> {
  const { values } = parseCliArgs(process.argv.slice(2), {
    model: { type: 'string', default: 'models' },
    input: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    'output-format': { type: 'string' },
    explain: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  }, { positionals: false });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!values.explain && !values.input) throw new UsageError('--input is required (a CSV or JSONL file, or - for standard input)');
  const input = values.input ?? '-';
  const inferred = input.endsWith('.jsonl') || input.endsWith('.ndjson') ? 'jsonl' : 'csv';
  const format = choiceOption(values.format, 'format', ['csv', 'jsonl'] as const, inferred);
  const outputFormat = choiceOption(values['output-format'], 'output-format', ['jsonl', 'csv'] as const, 'jsonl');
  const predictor = await loadPredictor(values.model!);
  if (values.explain) {
    process.stdout.write(`${explainModel(predictor)}\n`);
    return;
  }
  const source = input === '-' ? { stream: process.stdin, id: undefined } : await openInput(input);
  const out = values.out ? await openOutput(values.out, source.id) : process.stdout;
  const lines = createInterface({ input: source.stream, crlfDelay: Infinity });
  let scored = 0;
  let failed = 0;
  let outside = 0;
  async function* results(): AsyncGenerator<string> {
    if (outputFormat === 'csv') yield `line,label,${predictor.pairNames().map((p) => `decision_${p}`).join(',')},out_of_range,error\n`;
    for await (const result of scoreLines(predictor, lines, format, input === '-' ? 'stdin' : input)) {
      if (result.prediction) scored++;
      else failed++;
      if (result.prediction && result.prediction.outOfRange.length > 0) outside++;
      yield formatResult(result, predictor, outputFormat);
    }
  }
  // pipeline: backpressure, and a write error (disk full, a closed pipe) rejects instead of crashing the process.
  try {
    await pipeline(Readable.from(results()), out, { end: out !== process.stdout });
  } catch (err) {
    // A reader that stops early (`| head`) is not a failure of ours.
    if (out === process.stdout && (err as NodeJS.ErrnoException).code === 'EPIPE') return;
    throw err;
  }
  process.stderr.write(`scored ${scored} rows with ${predictor.id}${outside ? `, ${outside} outside the training range` : ''}${failed ? `, ${failed} rows rejected (see their error results)` : ''}\n`);
  if (failed > 0) process.exitCode = 1;
}

/** The input file, opened before anything is written, so that a missing file or a folder is named as --input. */
async function openInput(file: string): Promise<{ stream: Readable; id: string }> {
  const handle = await open(file).catch((err: Error) => {
    throw new InferError(`--input ${file}: cannot read: ${err.message}`, { cause: err });
  });
  const st = await handle.stat();
  if (st.isDirectory()) {
    await handle.close();
    throw new InferError(`--input ${file} is a folder; expected a CSV or JSONL file`);
  }
  return { stream: handle.createReadStream(), id: `${st.dev}:${st.ino}` };
}

/** Opens --out; refuses the input file itself, which opening would empty before a line of it was read. */
async function openOutput(file: string, inputId: string | undefined): Promise<Writable> {
  const existing = await stat(file).catch(() => undefined);
  if (existing && inputId === `${existing.dev}:${existing.ino}`) throw new UsageError(`--out ${file} is the --input file; writing the results there would erase the rows`);
  const stream = createWriteStream(file);
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (err) => reject(new InferError(`--out ${file}: cannot write: ${err.message}`, { cause: err })));
  });
  return stream;
}

await runCli(USAGE, main);
