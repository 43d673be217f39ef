import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadPredictor } from '../infer/load-artifacts.js';
import { formatTelemetry } from './meter-format.js';
import { datasetRows, parseSerialLog } from './serial-log.js';
import { parseIsoTimestamp } from './timestamp.js';

const USAGE = `npm run import:serial -- <esp32_serial_log.txt> [options]

  --start ISO        wall-clock time of uptime 0 (default 2025-06-01T12:00:00+03:00); the log has only uptime
  --payloads FILE    write one meter payload per line (JSON lines, formatted as the firmware does)
  --csv FILE         write dataset rows (line_voltage,label,c1,c2,c3,feeder) through the model's calibration
  --label NAME       label for the dataset rows (default: empty, i.e. unlabeled)
  --models DIR       model folder whose calibration maps meter units to features (default: models)

Prints a summary: lines understood by kind, payloads made, blocks skipped and every line not understood.`;

const REPO = path.resolve(import.meta.dirname, '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    start: { type: 'string', default: '2025-06-01T12:00:00+03:00' },
    payloads: { type: 'string' },
    csv: { type: 'string' },
    label: { type: 'string', default: '' },
    models: { type: 'string', default: path.join(REPO, 'models') },
    help: { type: 'boolean', default: false },
  },
});
if (values.help || positionals.length !== 1) {
  console.error(USAGE);
  process.exit(values.help ? 0 : 2);
}
const start = parseIsoTimestamp(values.start);
if (!start.ok) {
  console.error(`--start: ${start.message}`);
  process.exit(2);
}
const offset = /([+-])(\d{2}):?(\d{2})$/.exec(values.start);
const offsetMinutes = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) : 0;
const result = parseSerialLog(readFileSync(positionals[0], 'utf8'), { time: start.time, offsetMinutes });

if (values.payloads) writeFileSync(values.payloads, result.payloads.map((p) => `${formatTelemetry(p)}\n`).join(''));
if (values.csv) {
  const predictor = await loadPredictor(values.models);
  const rows = datasetRows(result.payloads, predictor.calibration, values.label);
  writeFileSync(values.csv, ['line_voltage,label,c1,c2,c3,feeder', ...rows].map((l) => `${l}\r\n`).join(''));
}
const c = result.counts;
console.log(`lines understood: ${c.ina219} INA219, ${c.ina3221} INA3221, ${c.heap} heap, ${c.blank} blank`);
console.log(`payloads: ${result.payloads.length}${values.payloads ? ` -> ${values.payloads}` : ''}${values.csv ? `; dataset rows -> ${values.csv}` : ''}`);
console.log(`blocks skipped: ${result.skipped.length}`);
for (const s of result.skipped) console.log(`  line ${s.line}: ${s.reason}`);
console.log(`lines not understood: ${result.unknown.length}`);
for (const u of result.unknown) console.log(`  line ${u.line}: ${u.text}`);
