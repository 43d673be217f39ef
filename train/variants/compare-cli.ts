import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { DEFAULT_FEATURES } from '../../infer/calibration.js';
import { numberOption, parseCliArgs, runCli, UsageError } from '../cli-args.js';
import { DEFAULT_CLASSES, readLabeledCsv } from '../labeled-dataset.js';
import { runCompare } from './compare.js';
import { formatLeaderboard } from './leaderboard.js';
import { renderReport } from './report-html.js';
import { scenarioRows, serialLogRows } from './extra-rows.js';
import { SCENARIO_NAMES } from '../../datagen/scenarios/robustness.js';
import { parseVariantsFile } from './variant-spec.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const SERIAL_LOG = path.resolve(REPO, '../shared/reference/esp32_serial_log.txt');

const USAGE = `usage: npm run compare -- [options]

  --variants FILE      variants to compare, YAML or JSON (default variants.example.yaml)
  --data PATH          labelled CSV (default datasets/power_data_labeled.csv)
  --out DIR            where compare.json, compare.html and the .svg plots go (default reports/compare)
  --workers N          worker threads (default ${availableParallelism()}, this machine's parallelism); 0 runs in this thread
  --test-on LIST       also test every final model on these scenarios, comma-separated:
                       ${SCENARIO_NAMES.join(', ')}
  --scenario-rows N    rows per scenario (default 3000)
  --scenario-seed N    seed of the scenario rows (default 7; the training data's own seed would repeat its rows)
  --serial-log PATH    meter serial log to score through the calibration
                       (default ../shared/reference/esp32_serial_log.txt when present; "none" to skip)
  --json               print the JSON report instead of the leaderboard

Cross-validates each variant on the training split, picks the best by the file's selectBy metric, fits every
variant on the whole training split and tests it on the held-out split.`;

async function main(): Promise<void> {
  const { values } = parseCliArgs(process.argv.slice(2), {
    variants: { type: 'string', default: path.join(REPO, 'variants.example.yaml') },
    data: { type: 'string', default: 'datasets/power_data_labeled.csv' },
    out: { type: 'string', default: 'reports/compare' },
    workers: { type: 'string' },
    'test-on': { type: 'string' },
    'scenario-rows': { type: 'string' },
    'scenario-seed': { type: 'string' },
    'serial-log': { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const workers = numberOption(values.workers, 'workers', availableParallelism(), (n) => Number.isInteger(n) && n >= 0, 'a whole number >= 0');
  const rows = numberOption(values['scenario-rows'], 'scenario-rows', 3000, (n) => Number.isInteger(n) && n >= 10, 'a whole number >= 10');
  const seed = numberOption(values['scenario-seed'], 'scenario-seed', 7, (n) => Number.isSafeInteger(n) && n >= 0, 'a whole number >= 0');
  const names = values['test-on'] ? values['test-on'].split(',').map((s) => s.trim()) : [];
  const unknown = names.filter((n) => !(SCENARIO_NAMES as string[]).includes(n));
  if (unknown.length > 0) throw new UsageError(`--test-on: unknown scenario ${unknown.join(', ')}; choose from ${SCENARIO_NAMES.join(', ')}`);
  const serialPath = values['serial-log'] === 'none' ? undefined : (values['serial-log'] ?? (existsSync(SERIAL_LOG) ? SERIAL_LOG : undefined));

  const plan = parseVariantsFile(await readFile(values.variants!, 'utf8'), values.variants);
  const dataset = await readLabeledCsv(values.data!, { features: DEFAULT_FEATURES, classes: DEFAULT_CLASSES });
  const bar = process.stderr.isTTY && !values.json ? progress(process.stderr) : undefined;
  const report = await runCompare({
    dataset,
    plan,
    workers,
    scenarios: names.map((name) => scenarioRows(name, { seed, rows }, dataset.classes)),
    serialLog: serialPath ? { file: serialPath, rows: serialLogRows(await readFile(serialPath, 'utf8')) } : undefined,
    onProgress: bar,
  });
  const outDir = values.out!;
  await mkdir(outDir, { recursive: true });
  const rendered = renderReport(report);
  await writeFile(path.join(outDir, 'compare.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(path.join(outDir, 'compare.html'), rendered.html);
  for (const [file, svg] of Object.entries(rendered.svgs)) await writeFile(path.join(outDir, file), `${svg}\n`);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${formatLeaderboard(report)}\n\nwrote ${path.join(outDir, 'compare.json')}, ${path.join(outDir, 'compare.html')} and ${Object.keys(rendered.svgs).length} .svg plots\n`);
  if (report.failed.length > 0) process.exitCode = 1;
}

/** A one-line `[#####.....] 30/72 fits 12.3 s` bar, redrawn at most every 100 ms and on the last fit. */
function progress(stream: NodeJS.WriteStream): (done: number, total: number) => void {
  const t0 = Date.now();
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (done < total && now - last < 100) return;
    last = now;
    const filled = Math.round((30 * done) / Math.max(total, 1));
    stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(30 - filled)}] ${done}/${total} fits ${((now - t0) / 1000).toFixed(1)} s${done === total ? '\n' : ''}`);
  };
}

await runCli(USAGE, main);
