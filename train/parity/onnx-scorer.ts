import { readFile } from 'node:fs/promises';
import ort from 'onnxruntime-node';
import { INPUT_NAME, LABEL_NAME, META, SCORES_NAME, type OnnxPrecision } from '../onnx/onnx-graph.js';
import { decodeOnnx } from '../onnx/onnx-proto.js';
import { OnnxContractError } from './errors.js';

/** What a model must match for its scores to be compared with an ONNX graph's. */
export interface ModelContract {
  featureNames: readonly string[];
  classes: readonly string[];
}

export interface OnnxScores {
  count: number;
  labels: string[];
  /** Row-major [count, pairs], widened to float64. */
  scores: Float64Array;
}

export interface ScorerOptions {
  /** onnxruntime intra-op threads; 0 or absent lets onnxruntime choose. */
  threads?: number;
}

/**
 * An onnxruntime session over a graph in our layout (input `features`, outputs `label` and `scores`),
 * checked against the model it will be compared with before any row is run.
 */
export class OnnxScorer {
  readonly file: string;
  readonly precision: OnnxPrecision;
  /** metadata_props of the file (empty for a graph written by another tool). */
  readonly metadata: ReadonlyMap<string, string>;
  readonly featureCount: number;
  readonly pairCount: number;
  private readonly session: ort.InferenceSession;
  private readonly classes: ReadonlySet<string>;

  private constructor(file: string, session: ort.InferenceSession, precision: OnnxPrecision, metadata: Map<string, string>, contract: ModelContract) {
    this.file = file;
    this.session = session;
    this.precision = precision;
    this.metadata = metadata;
    this.featureCount = contract.featureNames.length;
    this.pairCount = (contract.classes.length * (contract.classes.length - 1)) / 2;
    this.classes = new Set(contract.classes);
  }

  static async open(file: string, contract: ModelContract, options: ScorerOptions = {}): Promise<OnnxScorer> {
    const bytes = await readFile(file);
    let metadata: Map<string, string>;
    try {
      metadata = new Map(decodeOnnx(bytes).metadata);
    } catch (err) {
      throw new OnnxContractError(file, `not an ONNX model: ${(err as Error).message}`, { cause: err });
    }
    const threads = options.threads ?? 0;
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: threads, interOpNumThreads: threads, logSeverityLevel: 3 });
    } catch (err) {
      throw new OnnxContractError(file, `onnxruntime cannot load it: ${(err as Error).message}`, { cause: err });
    }
    const precision = checkContract(file, session, metadata, contract);
    return new OnnxScorer(file, session, precision, metadata, contract);
  }

  /** Scores `count` raw rows (row-major, `featureCount` wide); checks the shapes onnxruntime returns. */
  async run(rows: Float64Array, count: number): Promise<OnnxScores> {
    const n = this.featureCount;
    if (rows.length !== count * n) throw new OnnxContractError(this.file, `expected ${count * n} values for ${count} rows, found ${rows.length}`);
    const input =
      this.precision === 'float64' ? new ort.Tensor('float64', rows, [count, n]) : new ort.Tensor('float32', Float32Array.from(rows), [count, n]);
    const out = await this.session.run({ [INPUT_NAME]: input });
    const label = out[LABEL_NAME];
    const scores = out[SCORES_NAME];
    const p = this.pairCount;
    if (label.dims.length !== 1 || label.dims[0] !== count) {
      throw new OnnxContractError(this.file, `output label has shape [${label.dims.join(', ')}]; expected [${count}]`);
    }
    if (scores.dims.length !== 2 || scores.dims[0] !== count || scores.dims[1] !== p) {
      throw new OnnxContractError(this.file, `output scores has shape [${scores.dims.join(', ')}]; expected [${count}, ${p}]${shapeHint(Number(scores.dims[1]), p)}`);
    }
    const labels = label.data as string[];
    const unknown = labels.find((l) => !this.classes.has(l));
    if (unknown !== undefined) {
      throw new OnnxContractError(this.file, `predicts the label ${JSON.stringify(unknown)}, which is not one of the model's classes (${[...this.classes].join(', ')})`);
    }
    return { count, labels: Array.from(labels), scores: Float64Array.from(scores.data as Float32Array | Float64Array) };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

function shapeHint(found: number, pairs: number): string {
  const classes = (1 + Math.sqrt(1 + 8 * pairs)) / 2;
  if (found === classes && found !== pairs) {
    return `: ${found} columns is one per class, a one-vs-rest decision function; parity compares the ${pairs} one-vs-one scores (write the graph with pickle_to_onnx.py or export:onnx)`;
  }
  return '';
}

function checkContract(file: string, session: ort.InferenceSession, metadata: Map<string, string>, contract: ModelContract): OnnxPrecision {
  const fail = (detail: string) => new OnnxContractError(file, detail);
  const layout = `expected input "${INPUT_NAME}" and outputs "${LABEL_NAME}", "${SCORES_NAME}" (the layout pickle_to_onnx.py and export:onnx write)`;
  if (session.inputNames.length !== 1 || session.inputNames[0] !== INPUT_NAME) throw fail(`${layout}; found inputs ${session.inputNames.join(', ')}`);
  if (!session.outputNames.includes(LABEL_NAME) || !session.outputNames.includes(SCORES_NAME)) throw fail(`${layout}; found outputs ${session.outputNames.join(', ')}`);
  const input = session.inputMetadata[0];
  if (!input.isTensor || (input.type !== 'float32' && input.type !== 'float64')) throw fail(`input ${INPUT_NAME} must be a float32 or float64 tensor`);
  const n = contract.featureNames.length;
  const width = input.shape[1];
  if (input.shape.length !== 2 || (typeof width === 'number' && width !== n)) {
    throw fail(`input ${INPUT_NAME} has shape [${input.shape.join(', ')}]; the model has ${n} features (${contract.featureNames.join(', ')})`);
  }
  const scoresMeta = session.outputMetadata.find((o) => o.name === SCORES_NAME)!;
  const pairs = (contract.classes.length * (contract.classes.length - 1)) / 2;
  if (scoresMeta.isTensor) {
    const cols = scoresMeta.shape[1];
    if (scoresMeta.shape.length !== 2 || (typeof cols === 'number' && cols !== pairs)) {
      throw fail(`output ${SCORES_NAME} has shape [${scoresMeta.shape.join(', ')}]; ${contract.classes.length} classes have ${pairs} one-vs-one pairs${shapeHint(Number(cols), pairs)}`);
    }
  }
  const features = metadata.get(META.features);
  if (features !== undefined && features !== contract.featureNames.join(',')) {
    throw fail(`was made for features [${features}] but the model takes [${contract.featureNames.join(',')}] (order matters)`);
  }
  const classes = metadata.get(META.classes);
  if (classes !== undefined && classes !== contract.classes.join(',')) {
    throw fail(`has classes [${classes}] but the model has [${contract.classes.join(',')}]; scores are compared pair by pair in class order`);
  }
  return input.type;
}
