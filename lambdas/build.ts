import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..');
export const HANDLERS = ['router', 'storage', 'inference'] as const;
export type HandlerName = (typeof HANDLERS)[number];

export interface BuildOptions {
  /** Default `dist/lambdas`. */
  outDir?: string;
  /** Folder with model.json + scaler.json staged beside the inference bundle. Default `models`. */
  modelDir?: string;
  handlers?: readonly HandlerName[];
}

export interface BuiltHandler {
  name: HandlerName;
  dir: string;
  bundle: string;
  bytes: number;
}

/**
 * Bundles each handler into one ESM file `dist/lambdas/<name>/index.mjs` (every dependency inside, the
 * AWS SDK included, so the deployed code is the tested code), and stages the inference function's Docker
 * build context: the Dockerfile, the bundle and models/model.json + models/scaler.json.
 */
export async function buildLambdas(options: BuildOptions = {}): Promise<BuiltHandler[]> {
  const outDir = options.outDir ?? path.join(REPO_ROOT, 'dist/lambdas');
  const modelDir = options.modelDir ?? path.join(REPO_ROOT, 'models');
  const built: BuiltHandler[] = [];
  for (const name of options.handlers ?? HANDLERS) {
    const dir = path.join(outDir, name);
    rmSync(dir, { recursive: true, force: true });
    const bundle = path.join(dir, 'index.mjs');
    await build({
      entryPoints: [path.join(REPO_ROOT, 'lambdas', name, 'handler.ts')],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'esm',
      // ESM builds first: jsonc-parser's UMD main loads its parts with a require() esbuild cannot follow.
      mainFields: ['module', 'main'],
      minify: true,
      legalComments: 'none',
      logLevel: 'warning',
      // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
      banner: { js: "import { createRequire as __gsCreateRequire } from 'node:module'; const require = __gsCreateRequire(import.meta.url);" },
    });
    if (name === 'inference') {
      copyFileSync(path.join(REPO_ROOT, 'lambdas/inference/Dockerfile'), path.join(dir, 'Dockerfile'));
      mkdirSync(path.join(dir, 'models'), { recursive: true });
      for (const f of ['model.json', 'scaler.json']) copyFileSync(path.join(modelDir, f), path.join(dir, 'models', f));
    }
    built.push({ name, dir, bundle, bytes: statSync(bundle).size });
  }
  return built;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const built = await buildLambdas();
  for (const b of built) console.log(`${path.relative(REPO_ROOT, b.bundle)}  ${(b.bytes / 1024).toFixed(1)} KiB`);
}
