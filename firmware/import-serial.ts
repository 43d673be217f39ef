import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadPredictor } from '../infer/load-artifacts.js';
import { parseCliArgs, refuseOverwrite, runCli, UsageError } from '../train/cli-args.js';
import { writeFileAtomically } from '../train/onnx/write-file-atomically.js';
import { FirmwareError, quote } from './errors.js';
import { formatTelemetry } from './meter-format.js';
import { datasetRows, parseSerialLog } from './serial-log.js';
import { parseIsoTimestamp } from './timestamp.js';

const USAGE = `usage: npm run import:serial -- <esp32_serial_log.txt> [options]

  --start ISO        wall-clock time of uptime 0 (default 2025-06-01T12:00:00+03:00); the log has only uptime
  --payloads FILE    write one meter payload per line (JSON lines, formatted as the firmware does)
  --csv FILE         write dataset rows (line_voltage,label,c1,c2,c3,feeder) through the model's calibration
  --label NAME       label for the dataset rows (default: empty, i.e. unlabeled)
  --model DIR        model folder whose calibration maps meter units to features (default: models)

Prints a summary: lines understood by kind, payloads made, blocks skipped and every line not understood.
Exit code 1 when the log gives no payload at all.`;

const REPO = path.resolve(import.meta.dirname, '..');

async function main(): Promise<void> {
  const { values, positionals } = parseCliArgs(process.argv.slice(2), {
    start: { type: 'string', default: '2025-06-01T12:00:00+03:00' },
    payloads: { type: 'string' },
    csv: { type: 'string' },
    label: { type: 'string', default: '' },
    model: { type: 'string', default: path.join(REPO, 'models') },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals.length !== 1) throw new UsageError(`expected one serial log file, found ${positionals.length}`);
  const log = positionals[0];
  const start = parseIsoTimestamp(values.start);
  if (!start.ok) throw new UsageError(`--start: ${start.message}`);
  if (/[,\r\n"]/.test(values.label)) throw new UsageError(`--label goes into a CSV cell: no commas, quotes or line breaks, found ${quote(values.label)}`);
  for (const option of ['payloads', 'csv'] as const) {
    const out = values[option];
    if (out !== undefined) await refuseOverwrite(option, out, { 'the serial log': log });
  }
  const offset = /([+-])(\d{2}):?(\d{2})$/.exec(values.start);
  const offsetMinutes = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) : 0;
  const text = await readFile(log, 'utf8').catch((err: Error) => {
    throw new FirmwareError(`${log}: cannot read: ${err.message}`, { cause: err });
  });
  const result = parseSerialLog(text, { time: start.time, offsetMinutes });
  const c = result.counts;
  const written = result.payloads.length > 0;
  const lines = [
    `lines understood: ${c.ina219} INA219, ${c.ina3221} INA3221, ${c.heap} heap, ${c.blank} blank`,
    `payloads: ${result.payloads.length}${written && values.payloads ? ` -> ${values.payloads}` : ''}${written && values.csv ? `; dataset rows -> ${values.csv}` : ''}`,
    `blocks skipped: ${result.skipped.length}`,
    ...result.skipped.map((s) => `  line ${s.line}: ${s.reason}`),
    `lines not understood: ${result.unknown.length}`,
    // Quoted: a log line is whatever came over the wire, binary and terminal escapes included.
    ...result.unknown.map((u) => `  line ${u.line}: ${JSON.stringify(u.text.length > 120 ? `${u.text.slice(0, 120)}…` : u.text)}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  // Nothing is written then: an empty file would replace the output of an earlier, good import.
  if (!written) throw new FirmwareError(`${log}: no meter readings found (${result.unknown.length} lines not understood, ${result.skipped.length} blocks skipped)`);
  if (values.payloads) await writeFileAtomically(values.payloads, result.payloads.map((p) => `${formatTelemetry(p)}\n`).join(''));
  if (values.csv) {
    const predictor = await loadPredictor(values.model);
    const rows = datasetRows(result.payloads, predictor.calibration, values.label);
    await writeFileAtomically(values.csv, ['line_voltage,label,c1,c2,c3,feeder', ...rows].map((l) => `${l}\r\n`).join(''));
  }
}

await runCli(USAGE, main);
