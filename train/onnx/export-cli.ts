import path from 'node:path';
import { loadPredictor, MODEL_FILE, SCALER_FILE } from '../../infer/load-artifacts.js';
import { choiceOption, parseCliArgs, refuseOverwrite, runCli, UsageError } from '../cli-args.js';
import { buildOnnxModel, ONNX_PRECISIONS } from './onnx-graph.js';
import { encodeOnnx } from './onnx-proto.js';
import { writeFileAtomically } from './write-file-atomically.js';

const USAGE = `usage: npm run export:onnx -- --model DIR --out model.onnx [--precision float32|float64]

  --model DIR        folder with model.json and scaler.json (default models)
  --out FILE         ONNX file to write
  --precision P      float32 (default): ai.onnx.ml Scaler + SVMClassifier, which onnxruntime
                     computes in float32 (scores within about 1e-5 of ours);
                     float64: the same math from standard ops on doubles (scores equal to rounding)

The graph takes raw features [N, F] ("features") and returns "label" [N] and the one-vs-one
"scores" [N, K(K-1)/2]; notebooks/pickle_to_onnx.py writes the same layout from scikit-learn pickles.`;

async function main(): Promise<void> {
  const { values } = parseCliArgs(process.argv.slice(2), {
    model: { type: 'string', default: 'models' },
    out: { type: 'string' },
    precision: { type: 'string' },
    help: { type: 'boolean', default: false },
  }, { positionals: false });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!values.out) throw new UsageError('--out is required');
  const precision = choiceOption(values.precision, 'precision', ONNX_PRECISIONS, 'float32');
  await refuseOverwrite('out', values.out, { 'the model': path.join(values.model!, MODEL_FILE), 'the scaler': path.join(values.model!, SCALER_FILE) });
  const predictor = await loadPredictor(values.model!);
  const bytes = encodeOnnx(buildOnnxModel(predictor, precision));
  await writeFileAtomically(values.out, bytes);
  process.stdout.write(
    `wrote ${values.out}: ${precision}, model ${predictor.id}, classes ${predictor.classes.join(',')}, ` +
      `${predictor.svc.vectorCount} support vectors, features ${predictor.featureNames.join(',')} (${bytes.length} bytes)\n`,
  );
}

await runCli(USAGE, main);
