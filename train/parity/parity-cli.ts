import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCsvTable } from '../../infer/feature-table.js';
import { loadPredictor, MODEL_FILE, SCALER_FILE } from '../../infer/load-artifacts.js';
import { choiceOption, numberOption, parseCliArgs, refuseOverwrite, runCli, UsageError } from '../cli-args.js';
import { writeFileAtomically } from '../onnx/write-file-atomically.js';
import { ONNX_PRECISIONS } from '../onnx/onnx-graph.js';
import { formatParityReport } from './compare.js';
import { ParityError } from './errors.js';
import { convertPickle } from './python-bridge.js';
import { DEFAULT_TOLERANCE, runParity } from './run-parity.js';

const USAGE = `usage: npm run parity -- --model DIR --data rows.csv (--onnx model.onnx | --pickle svc.pkl [--scaler scaler.pkl]) [options]

  --model DIR          our model.json + scaler.json (default models)
  --data FILE          CSV with a header naming the model's features (extra columns such as label are ignored)
  --onnx FILE          the ONNX graph to compare (input "features", outputs "label" and "scores");
                       with --pickle, where the converted graph is written (default: a temporary file)
  --pickle FILE        a joblib SVC (or Pipeline [StandardScaler, SVC]): converted first by
                       notebooks/pickle_to_onnx.py with $PYTHON, else /usr/bin/python3, else python3
  --scaler FILE        the joblib StandardScaler that goes with --pickle
  --precision P        graph --pickle converts to: float32 (default, ai.onnx.ml ops) or float64
  --min-agreement X    required share of rows with equal labels, near-boundary rows aside (default 1.0)
  --tolerance X        absolute score tolerance (default ${DEFAULT_TOLERANCE.float32} for float32 graphs, ${DEFAULT_TOLERANCE.float64} for float64)
  --threads N          onnxruntime intra-op threads (default: onnxruntime's choice)
  --out FILE           also write the full report as JSON

A row whose labels differ only where a pair's decision value is within the tolerance of 0 is reported as
near-boundary and not counted. Exit code 1 when agreement is below --min-agreement or any score differs by
more than the tolerance; 2 on a usage error.`;

async function main(): Promise<void> {
  const { values } = parseCliArgs(process.argv.slice(2), {
    model: { type: 'string', default: 'models' },
    data: { type: 'string' },
    onnx: { type: 'string' },
    pickle: { type: 'string' },
    scaler: { type: 'string' },
    precision: { type: 'string' },
    'min-agreement': { type: 'string' },
    tolerance: { type: 'string' },
    threads: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  }, { positionals: false });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!values.data) throw new UsageError('--data is required');
  if (!values.onnx && !values.pickle) throw new UsageError('give --onnx, or --pickle (and --scaler) to convert first');
  if (values.scaler && !values.pickle) throw new UsageError('--scaler goes with --pickle');
  if (values.precision && !values.pickle) throw new UsageError('--precision chooses what --pickle converts to; an --onnx graph has its own');
  const minAgreement = numberOption(values['min-agreement'], 'min-agreement', 1, (n) => n >= 0 && n <= 1, 'a share between 0 and 1');
  const tolerance = values.tolerance === undefined ? undefined : numberOption(values.tolerance, 'tolerance', 0, (n) => Number.isFinite(n) && n >= 0, 'a number >= 0');
  // onnxruntime starts every thread when the session opens: 1e5 hung for minutes, 1e9 failed as std::bad_alloc.
  const threads = numberOption(values.threads, 'threads', 0, (n) => Number.isInteger(n) && n >= 0 && n <= 1024, 'a whole number from 0 to 1024');
  const precision = choiceOption(values.precision, 'precision', ONNX_PRECISIONS, 'float32');

  if (values.out) {
    await refuseOverwrite('out', values.out, {
      '--data': values.data,
      '--onnx': values.onnx,
      '--pickle': values.pickle,
      '--scaler': values.scaler,
      'the model': path.join(values.model!, MODEL_FILE),
      "the model's scaler": path.join(values.model!, SCALER_FILE),
    });
  }
  if (values.onnx && values.pickle) await refuseOverwrite('onnx', values.onnx, { '--pickle': values.pickle, '--scaler': values.scaler, '--data': values.data });
  const predictor = await loadPredictor(values.model!);
  const text = await readFile(values.data, 'utf8').catch((err: Error) => {
    throw new ParityError(`--data ${values.data}: cannot read: ${err.message}`, { cause: err });
  });
  const table = parseCsvTable(text, { featureNames: predictor.featureNames, file: values.data });
  if (table.count === 0) throw new ParityError(`${values.data}: no rows to compare after the header`);
  let tmp: string | undefined;
  try {
    let onnxFile = values.onnx;
    let bridgeLog: string | undefined;
    if (values.pickle) {
      if (!onnxFile) {
        tmp = await mkdtemp(path.join(tmpdir(), 'gridsentry-parity-'));
        onnxFile = path.join(tmp, 'pickle.onnx');
      }
      bridgeLog = await convertPickle({ svc: values.pickle, scaler: values.scaler, out: onnxFile, precision, classNames: predictor.classes });
      process.stdout.write(`${bridgeLog}\n`);
    }
    const result = await runParity(predictor, onnxFile!, table, { tolerance, minAgreement, threads });
    const title = `parity: model ${predictor.id} (our predictor, float64) vs ${onnxFile} (onnxruntime, ${result.onnx.precision})${result.onnx.source ? `\nsource: ${result.onnx.source}` : ''}`;
    process.stdout.write(`${formatParityReport(result.report, title)}\n`);
    if (values.out) {
      const json = { ...result, data: { file: values.data, rows: table.count }, model: { ...result.model, dir: values.model }, bridge: bridgeLog };
      await writeFileAtomically(values.out, `${JSON.stringify(json, null, 2)}\n`);
      process.stdout.write(`wrote ${values.out}\n`);
    }
    if (!result.report.passed) process.exitCode = 1;
  } finally {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }
}

await runCli(USAGE, main);
