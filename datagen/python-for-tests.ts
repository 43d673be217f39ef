import { spawnSync } from 'node:child_process';

/**
 * The CPython interpreter parity tests run ($PYTHON, else python3), or why
 * they must skip: not installed, or lacking a needed module.
 */
export function findPython(modules: readonly string[] = []): { python: string; skipReason?: string } {
  const python = process.env.PYTHON ?? 'python3';
  const imports = modules.map((m) => `import ${m}`).join('\n') || 'pass';
  const run = spawnSync(python, ['-c', imports], { encoding: 'utf8' });
  if (run.error) return { python, skipReason: `${python} not runnable (${run.error.message})` };
  if (run.status !== 0) return { python, skipReason: `${python} lacks ${modules.join(', ')}: ${run.stderr.trim()}` };
  return { python };
}

/** Prints why a parity test skips, so a green run does not hide it. */
export function reportSkip(what: string, skipReason: string | undefined): void {
  if (skipReason !== undefined) console.warn(`skipping ${what}: ${skipReason}`);
}
