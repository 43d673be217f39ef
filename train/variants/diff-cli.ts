import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { parseCsvTable } from '../../infer/feature-table.js';
import { loadPredictor, MODEL_FILE } from '../../infer/load-artifacts.js';
import { choiceOption, parseCliArgs, runCli, UsageError } from '../cli-args.js';
import { LABEL_COLUMN } from '../labeled-dataset.js';
import { gatherRows } from '../train-model.js';
import { trainTestSplit } from '../train-test-split.js';
import { diffModels, formatDiff } from './diff-models.js';

const USAGE = `usage: npm run diff -- A B [options]

  A, B                 model folders (model.json + scaler.json), e.g. from npm run train -- --variant NAME --out DIR
  --data PATH          rows to score, CSV with the raw features (default datasets/power_data_labeled.csv);
                       with a label column the metrics and McNemar's test are reported too
  --rows all|test      all rows, or the held-out test split recorded in A's model.json (same dataset file only)
  --json               print the JSON instead of the table
  --out FILE           also write the JSON there

Label flips, decision drift (|B - A| per one-vs-one pair and of the theft score), metric deltas (B - A) with
McNemar's paired test, model size and batch scoring speed.`;

async function main(): Promise<void> {
  const { values, positionals } = parseCliArgs(process.argv.slice(2), {
    data: { type: 'string', default: 'datasets/power_data_labeled.csv' },
    rows: { type: 'string' },
    json: { type: 'boolean', default: false },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals.length !== 2) throw new UsageError(`expected two model folders A and B, found ${positionals.length} arguments`);
  const [dirA, dirB] = positionals;
  const [pa, pb] = await Promise.all([loadPredictor(dirA), loadPredictor(dirB)]);
  const selection = choiceOption(values.rows, 'rows', ['all', 'test'] as const, 'all');
  const bytes = await readFile(values.data!);
  const text = bytes.toString('utf8');
  const header = text.slice(0, text.indexOf('\n')).replace(/\r$/, '').split(',').map((h) => h.trim());
  const labelled = header.includes(LABEL_COLUMN);
  const table = parseCsvTable(text, { featureNames: [...pa.featureNames], labelColumn: labelled ? LABEL_COLUMN : undefined, file: values.data });
  let indices: Int32Array = Int32Array.from({ length: table.count }, (_, i) => i);
  if (selection === 'test') {
    const t = pa.artifact.training;
    const sha = createHash('sha256').update(bytes).digest('hex');
    if (sha !== t.dataset.sha256) throw new UsageError(`--rows test: ${values.data} is not the dataset model A was trained on (${t.dataset.file})`);
    indices = trainTestSplit(table.count, t.testSize, t.seed).test;
  }
  const classes = [...pa.classes];
  const y = table.labels
    ? Int32Array.from(indices, (r) => {
        const c = classes.indexOf(table.labels![r]);
        if (c < 0) throw new UsageError(`${values.data}:${table.lines[r]}: label ${JSON.stringify(table.labels![r])} is none of the model's classes (${classes.join(', ')})`);
        return c;
      })
    : undefined;
  const size = async (dir: string, file: string) => (await stat(path.join(dir, file))).size;
  const diff = diffModels({
    a: { dir: dirA, predictor: pa, modelBytes: await size(dirA, MODEL_FILE), scalerBytes: await size(dirA, pa.artifact.scaler.file) },
    b: { dir: dirB, predictor: pb, modelBytes: await size(dirB, MODEL_FILE), scalerBytes: await size(dirB, pb.artifact.scaler.file) },
    rows: { file: values.data!, values: gatherRows(table.values, pa.featureNames.length, indices), count: indices.length, y, selection, ids: indices },
  });
  if (values.out) await writeFile(values.out, `${JSON.stringify(diff, null, 2)}\n`);
  process.stdout.write(values.json ? `${JSON.stringify(diff, null, 2)}\n` : `${formatDiff(diff)}\n`);
}

await runCli(USAGE, main);
