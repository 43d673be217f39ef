import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The interpreter for Python peers: $PYTHON, else Debian's /usr/bin/python3 (which sees python3-sklearn), else python3. */
export async function findPython(modules: string[]): Promise<{ python: string } | { missing: string }> {
  const candidates = [process.env.PYTHON, '/usr/bin/python3', 'python3'].filter((p): p is string => !!p);
  for (const python of candidates) {
    try {
      await run(python, ['-c', `import ${modules.join(', ')}`]);
      return { python };
    } catch {
      // try the next one
    }
  }
  return { missing: `no Python with ${modules.join(', ')} (tried ${candidates.join(', ')}); install with: apt-get install -y python3-sklearn python3-onnx` };
}

export async function runPythonJson<T>(python: string, args: string[], timeoutMs = 300_000): Promise<T> {
  const { stdout } = await run(python, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as T;
}
