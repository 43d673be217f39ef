import { describe, expect, it } from 'vitest';
import { progressBar } from './progress-bar.js';

describe('progressBar', () => {
  it('redraws at most every 100 ms and ends on a full bar and a newline', () => {
    const written: string[] = [];
    let t = 0;
    const bar = progressBar({ write: (s: string) => written.push(s) }, 1000, () => t);
    bar.update(100); // drawn: the first update always is
    t = 50;
    bar.update(200); // skipped: too soon
    t = 150;
    bar.update(500);
    bar.finish();
    expect(written).toEqual([
      '\r[###...........................]  10% 100/1000 rows',
      '\r[###############...............]  50% 500/1000 rows',
      '\r[##############################] 100% 1000/1000 rows',
      '\n',
    ]);
  });
});
