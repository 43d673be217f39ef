import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { OnnxPrecision } from '../onnx/onnx-graph.js';
import { BridgeError } from './errors.js';

const run = promisify(execFile);

export const BRIDGE_SCRIPT = path.resolve(import.meta.dirname, '../../notebooks/pickle_to_onnx.py');

export const BRIDGE_INSTALL =
  'apt-get install python3-sklearn python3-onnx (Debian, then PYTHON=/usr/bin/python3) or pip install scikit-learn onnx';

/** Exit codes of pickle_to_onnx.py. */
const EXIT_REFUSED = 3;
const EXIT_ENVIRONMENT = 4;

/** $PYTHON when set (and then only it), else Debian's /usr/bin/python3, else python3 on the PATH. */
export function pythonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.PYTHON) return [env.PYTHON];
  return [...(existsSync('/usr/bin/python3') ? ['/usr/bin/python3'] : []), 'python3'];
}

/** The first interpreter that imports everything the bridge needs; a BridgeError saying what to install otherwise. */
export async function findBridgePython(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const tried: string[] = [];
  for (const python of pythonCandidates(env)) {
    try {
      await run(python, ['-c', 'import numpy, sklearn, joblib, onnx'], { timeout: 60_000 });
      return python;
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { stderr?: string };
      const why = e.code === 'ENOENT' ? 'not found' : (e.stderr?.trim().split('\n').pop() ?? e.message);
      tried.push(`${python}: ${why}`);
    }
  }
  throw new BridgeError(
    'missing',
    `the Python bridge needs numpy, scikit-learn, joblib and onnx; install them with ${BRIDGE_INSTALL}. Tried ${tried.join('; ')}`,
  );
}

export interface BridgeRequest {
  svc: string;
  /** Absent when `svc` is a Pipeline [StandardScaler, SVC]. */
  scaler?: string;
  out: string;
  precision: OnnxPrecision;
  /** Names for the SVC's classes_, in classes_ order. */
  classNames?: readonly string[];
  python?: string;
}

/** Runs notebooks/pickle_to_onnx.py; returns its report lines (stdout + notes on stderr). */
export async function convertPickle(req: BridgeRequest): Promise<string> {
  const python = req.python ?? (await findBridgePython());
  const args = [BRIDGE_SCRIPT, '--svc', req.svc, '--out', req.out, '--precision', req.precision];
  if (req.scaler) args.push('--scaler', req.scaler);
  if (req.classNames) args.push('--class-names', req.classNames.join(','));
  try {
    const { stdout, stderr } = await run(python, args, { timeout: 300_000, maxBuffer: 16 << 20 });
    return `${stderr}${stdout}`.trim();
  } catch (err) {
    const e = err as { code?: number | string; stderr?: string; message: string };
    const detail = e.stderr?.trim() || e.message;
    if (e.code === EXIT_REFUSED) throw new BridgeError('refused', detail, { cause: err });
    if (e.code === EXIT_ENVIRONMENT) throw new BridgeError('environment', detail, { cause: err });
    if (e.code === 'ENOENT') throw new BridgeError('missing', `${python} not found; install ${BRIDGE_INSTALL}`, { cause: err });
    throw new BridgeError('failed', `${python} ${path.basename(BRIDGE_SCRIPT)} failed: ${detail}`, { cause: err });
  }
}
