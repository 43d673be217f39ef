import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_CSV } from '../../test-support/reference.js';
import type { CompareReport } from './compare.js';
import type { ModelDiff } from './diff-models.js';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(repo, 'node_modules', '.bin', 'tsx');
const cli = (file: string, args: string[]) => run(tsx, [path.join(repo, 'train', file), ...args], { cwd: repo, maxBuffer: 64 << 20 });

const VARIANTS = `split: { testSize: 0.2, seed: 42 }
cv: { folds: 3, seed: 1 }
baseline: notebook
variants:
  - { name: notebook, protocol: notebook, C: 1 }
  - { name: pvjf, features: per-volt+jf, C: [1, 10] }
`;

let dir: string;
let json: CompareReport;
let html: string;
let stdout: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gs-compare-'));
  await writeFile(path.join(dir, 'variants.yaml'), VARIANTS);
  const out = await cli('variants/compare-cli.ts', [
    '--variants', path.join(dir, 'variants.yaml'), '--data', REFERENCE_CSV, '--out', path.join(dir, 'report'), '--workers', '2',
    '--test-on', 'voltage-sag,missing-channel', '--scenario-rows', '300',
  ]);
  stdout = out.stdout;
  json = JSON.parse(await readFile(path.join(dir, 'report', 'compare.json'), 'utf8'));
  html = await readFile(path.join(dir, 'report', 'compare.html'), 'utf8');
}, 120_000);

/** The value at a dotted path (`variants.0.test.macroF1`) of the JSON. */
function at(value: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], value);
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => strings(v, out));
  return out;
}

describe('npm run compare (CLI, fresh process)', () => {
  it('prints the leaderboard and the verdict, and writes the JSON, the HTML and the plots', async () => {
    expect(stdout).toMatch(/chosen by CV macroF1: pvjf-C\d+; baseline notebook/);
    expect(stdout).toContain('beats the baseline on both');
    const files = (await readdir(path.join(dir, 'report'))).sort();
    expect(files).toEqual(
      ['bars-falseAlarmRate.svg', 'bars-macroF1.svg', 'bars-prAuc.svg', 'bars-theftRecall.svg', 'compare.html', 'compare.json',
        'confusion-notebook.svg', 'confusion-pvjf-C1.svg', 'confusion-pvjf-C10.svg', `pr-classes-${json.selected}.svg`, 'pr-classes-notebook.svg', 'pr-theft.svg'].sort(),
    );
  });

  it('embeds every plot file in the HTML, which loads nothing from outside', async () => {
    const svgs = (await readdir(path.join(dir, 'report'))).filter((f) => f.endsWith('.svg'));
    const inline = await Promise.all(svgs.map(async (f) => html.includes((await readFile(path.join(dir, 'report', f), 'utf8')).trim())));
    expect(inline).toEqual(svgs.map(() => true));
    expect(html).not.toMatch(/<script|<link|src=|href=/);
  });

  it('shows in the HTML exactly the numbers of the JSON', () => {
    const marked = [...html.matchAll(/<(span|text)\b[^>]*data-path="([^"]+)" data-digits="([^"]+)"[^>]*>([^<]*)<\/\1>/g)];
    expect(marked.length).toBeGreaterThan(200);
    const wrong = marked.flatMap(([, , where, digits, shown]) => {
      const value = at(json, where);
      const expected = typeof value !== 'number' ? `no number at ${where}` : digits === 'exact' ? String(value) : value.toFixed(Number(digits));
      return expected === shown ? [] : [{ where, shown, expected }];
    });
    expect(wrong).toEqual([]);
    // Nothing else on the page is a number: drop the marked numbers, styles, axis ticks and tags, and the JSON's own strings.
    let text = html
      .replace(/<style>[\s\S]*?<\/style>/g, '')
      .replace(/<text class="axis"[^>]*>[^<]*<\/text>/g, '')
      .replace(/<(span|text)\b[^>]*data-path[^>]*>[^<]*<\/\1>/g, ' ')
      .replace(/<[^>]+>/g, ' ');
    for (const s of strings(json).sort((a, b) => b.length - a.length)) text = text.split(s).join(' ');
    expect(text.match(/(?<![\w.-])\d+(?:\.\d+)?(?![\w])/g) ?? []).toEqual([]);
  });

  it('shows the chosen variant against the notebook in the verdict, both measured in this run', () => {
    expect(json.verdict?.beatsBaseline).toBe(true);
    expect(html).toContain(`data-path="verdict.macroF1.baseline" data-digits="4">${json.verdict!.macroF1.baseline.toFixed(4)}`);
    expect(json.scenarios).toEqual([{ name: 'voltage-sag', rows: 300 }, { name: 'missing-channel', rows: 300 }]);
    expect(json.serialLog?.payloads).toBeGreaterThan(10);
    expect(json.variants.map((v) => Object.values(v.serialLog!).reduce((a, b) => a + b, 0))).toEqual(json.variants.map(() => json.serialLog!.payloads));
  });
});

describe('npm run train -- --variant and npm run diff', () => {
  let diff: ModelDiff;
  beforeAll(async () => {
    const variants = path.join(dir, 'variants.yaml');
    for (const name of ['notebook', json.selected]) {
      await cli('cli.ts', ['--variant', name, '--variants', variants, '--data', REFERENCE_CSV, '--out', path.join(dir, name)]);
    }
    const { stdout: out } = await cli('variants/diff-cli.ts', [path.join(dir, 'notebook'), path.join(dir, json.selected), '--data', REFERENCE_CSV, '--rows', 'test', '--json']);
    diff = JSON.parse(out);
  }, 120_000);

  it('exports the same model that compare fitted and tested', async () => {
    for (const name of ['notebook', json.selected]) {
      const model = JSON.parse(await readFile(path.join(dir, name, 'model.json'), 'utf8'));
      const v = json.variants.find((x) => x.name === name)!;
      expect({ id: model.id, metrics: model.metrics.confusionMatrix, set: model.featureSet?.name ?? 'raw' }).toEqual({ id: v.model.id, metrics: v.test.confusionMatrix, set: v.spec.features });
    }
  });

  it('diffs the two on the test split with the metrics compare reported and a McNemar test', () => {
    const a = json.variants.find((x) => x.name === 'notebook')!.test;
    const b = json.variants.find((x) => x.name === json.selected)!.test;
    expect(diff.rows).toMatchObject({ count: 600, labelled: true, selection: 'test' });
    expect([diff.metrics!.a.macroF1, diff.metrics!.b.macroF1, diff.metrics!.a.theftRecall, diff.metrics!.b.theftRecall]).toEqual([a.macroF1, b.macroF1, a.theftRecall, b.theftRecall]);
    const { b: onlyA, c: onlyB } = diff.metrics!.mcnemar;
    const flipsIntoTruth = diff.flips.examples.filter((e) => e.b === e.truth).length;
    expect(onlyB).toBeGreaterThanOrEqual(flipsIntoTruth);
    expect(onlyB - onlyA).toBe(Math.round((b.accuracy - a.accuracy) * 600));
    expect(diff.metrics!.mcnemar.exactP).toBeLessThan(0.05);
    expect(diff.flips.matrix.flat().reduce((x, y) => x + y, 0)).toBe(600);
  });
});

describe('bad arguments fail with a clear message and no stack trace: usage mistakes exit 2, bad files 1', () => {
  it.each([
    ['compare --workers -1', 'variants/compare-cli.ts', ['--workers', '-1'], /--workers must be a whole number >= 0/, 2],
    ['compare --test-on an unknown scenario', 'variants/compare-cli.ts', ['--test-on', 'voltage-sag,flood'], /unknown scenario flood/, 2],
    ['compare with a file that is no variants file', 'variants/compare-cli.ts', ['--variants', path.join(repo, 'package.json')], /package\.json: \$\.name: unknown key/, 1],
    ['diff with one model folder', 'variants/diff-cli.ts', ['models'], /expected two model folders/, 2],
    ['diff --rows train', 'variants/diff-cli.ts', ['models', 'models', '--rows', 'train'], /--rows must be one of all, test/, 2],
    ['train --variant that is not in the file', 'cli.ts', ['--variant', 'nope'], /no variant "nope" in variants\.example\.yaml/, 2],
  ])('%s', async (_, file, args, message, code) => {
    const failure = await cli(file, args).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect({ code: failure?.code, message: failure?.stderr }).toEqual({ code, message: expect.stringMatching(message) });
    expect(failure?.stderr).not.toMatch(/\n\s+at /);
  });
});
