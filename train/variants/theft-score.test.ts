import { describe, expect, it } from 'vitest';
import { ovrScores, theftScores } from './theft-score.js';

// Two rows, four classes; pairs (0,1) (0,2) (0,3) (1,2) (1,3) (2,3).
const decision = Float64Array.from([
  1.5, 0.5, 2.0, 0.3, -0.2, 0.1, // normal wins every contest; c2 comes closest (0.5)
  -0.8, 0.4, 1.0, 1.2, 0.9, -0.3, // c1 beats normal by 0.8
]);

describe('theftScores', () => {
  it('is -min over the normal-vs-theft pairs: negative when normal wins them all', () => {
    expect(Array.from(theftScores(decision, 2, 4))).toEqual([-0.5, 0.8]);
  });
});

describe('ovrScores', () => {
  it("is scikit-learn's _ovr_decision_function: votes plus squashed confidence sums", () => {
    const s = ovrScores(decision, 2, 4);
    // Row 0 votes: normal 3, c1 1 (0.3 >= 0 over c2; -0.2 < 0 loses to c3), c2 1 (0.1 over c3), c3 1.
    const sums0 = [1.5 + 0.5 + 2.0, -1.5 + 0.3 - 0.2, -0.5 - 0.3 + 0.1, -2.0 + 0.2 - 0.1];
    const squash = (v: number) => v / (3 * (Math.abs(v) + 1));
    expect(Array.from(s.subarray(0, 4))).toEqual([3, 1, 1, 1].map((v, c) => v + squash(sums0[c])));
    expect(Array.from(s.subarray(4)).indexOf(Math.max(...s.subarray(4)))).toBe(1);
  });
});
