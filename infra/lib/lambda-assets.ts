import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LambdaAssetDirs } from './gridsentry-stack.js';

/** Where `npm run build:lambdas` (lambdas/ owner) writes the bundles and the inference build context. */
export function lambdaAssetDirs(repoRoot: string): LambdaAssetDirs {
  const dist = join(repoRoot, 'dist', 'lambdas');
  return { router: join(dist, 'router'), storage: join(dist, 'storage'), inference: join(dist, 'inference') };
}

/** The files each asset must contain, as paths that do not exist yet. */
export function missingLambdaAssets(dirs: LambdaAssetDirs): string[] {
  const required = [join(dirs.router, 'index.mjs'), join(dirs.storage, 'index.mjs'), join(dirs.inference, 'Dockerfile')];
  return required.filter((path) => !existsSync(path));
}
