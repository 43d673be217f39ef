/**
 * Runs `npm run build:lambdas` when the bundles the CDK app deploys are missing (fresh clone), so that
 * `npm run synth` works without a separate build step. Existing bundles are left alone; `npm run deploy`
 * always rebuilds.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lambdaAssetDirs, missingLambdaAssets } from '../lib/lambda-assets.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const dirs = lambdaAssetDirs(repoRoot);
const missing = missingLambdaAssets(dirs);
if (missing.length > 0) {
  const scripts = (JSON.parse(readFileSync(`${repoRoot}package.json`, 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
  if (!scripts['build:lambdas']) {
    console.error(`Missing ${missing.join(', ')} and package.json has no "build:lambdas" script to build them.`);
    process.exit(1);
  }
  console.error(`Building Lambda bundles (missing: ${missing.join(', ')})`);
  const build = spawnSync('npm', ['run', 'build:lambdas'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  const still = missingLambdaAssets(dirs);
  if (still.length > 0) {
    console.error(`npm run build:lambdas finished but did not produce ${still.join(', ')}`);
    process.exit(1);
  }
}
