import { readFile } from 'node:fs/promises';
import { UsageError } from '../cli-args.js';
import { parseVariantsFile, type CompareSettings, type VariantSpec } from './variant-spec.js';

/** Flags of `npm run train` that a variant sets itself; giving both is a usage error. */
export const VARIANT_SETS = ['protocol', 'kernel', 'C', 'gamma', 'degree', 'coef0', 'class-weight'] as const;

/** `npm run train -- --variant NAME [--variants FILE]`: the named variant (after grid expansion) and the file's split settings. */
export async function readVariant(file: string, name: string, flags: Record<string, unknown> = {}): Promise<{ spec: VariantSpec; settings: CompareSettings }> {
  const clashing = VARIANT_SETS.filter((k) => flags[k] !== undefined);
  if (clashing.length > 0) throw new UsageError(`--variant ${name} sets the model itself; drop ${clashing.map((k) => `--${k}`).join(', ')}`);
  const plan = parseVariantsFile(await readFile(file, 'utf8'), file);
  const spec = plan.variants.find((v) => v.name === name);
  if (!spec) throw new UsageError(`--variant: no variant "${name}" in ${file}; it has ${plan.variants.map((v) => v.name).join(', ')}`);
  return { spec, settings: plan.settings };
}
