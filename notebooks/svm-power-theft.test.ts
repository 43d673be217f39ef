import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_CSV, REFERENCE_DIR } from '../test-support/reference.js';
import { bridgeGate, requirePython } from '../train/parity/bridge-gate.js';

const gate = await bridgeGate('notebook');
const exec = promisify(execFile);

// The notebook's own pickles, trained on the reference CSV, must be the original notebook's pickles.
const COMPARE = `
import sys
sys.path.insert(0, ${JSON.stringify(import.meta.dirname)})
import numpy as np
from pickle_to_onnx import load_pickle
ours, ref = sys.argv[1], sys.argv[2]
s1, s2 = load_pickle(ours + "/scaler.pkl")[0], load_pickle(ref + "/scaler.pkl")[0]
m1, m2 = load_pickle(ours + "/theft_detector_svm.pkl")[0], load_pickle(ref + "/theft_detector_svm.pkl")[0]
for name, a, b in [("mean_", s1.mean_, s2.mean_), ("scale_", s1.scale_, s2.scale_), ("support_", m1.support_, m2.support_),
                   ("support_vectors_", m1.support_vectors_, m2.support_vectors_), ("dual_coef_", m1.dual_coef_, m2.dual_coef_),
                   ("intercept_", m1.intercept_, m2.intercept_), ("_gamma", m1._gamma, m2._gamma)]:
    print(name, "equal" if np.array_equal(a, b) else "DIFFERENT")
`;

describe.skipIf(gate.skip)('notebooks/svm_power_theft.ipynb', () => {
  let out: string;
  let stdout: string;
  beforeAll(async () => {
    const python = requirePython(gate);
    out = await mkdtemp(path.join(tmpdir(), 'notebook-'));
    const env = { ...process.env, GRIDSENTRY_DATASET: REFERENCE_CSV, GRIDSENTRY_PICKLE_DIR: out };
    ({ stdout } = await exec(python, [path.join(import.meta.dirname, 'run_notebook.py'), path.join(import.meta.dirname, 'svm_power_theft.ipynb')], { env }));
  });

  it("runs top to bottom on the reference CSV and prints the original notebook's confusion matrix", () => {
    expect(stdout).toContain('3000 rows, 5 features');
    expect(stdout).toMatch(/support vectors per class \[194, 84, 67, 76\]/);
    expect(stdout).toMatch(/accuracy\s+0\.9833\s+600/);
    expect(stdout).toContain('[[368   0   0   0]\n [  5  70   0   0]\n [  5   0  81   0]\n [  0   0   0  71]]');
  });

  it('saves a scaler and SVC equal, bit for bit, to the original pickles', async () => {
    const { stdout: cmp } = await exec(requirePython(gate), ['-W', 'ignore', '-c', COMPARE, out, REFERENCE_DIR]);
    expect(cmp.trim().split('\n')).toEqual(['mean_ equal', 'scale_ equal', 'support_ equal', 'support_vectors_ equal', 'dual_coef_ equal', 'intercept_ equal', '_gamma equal']);
  });
});
