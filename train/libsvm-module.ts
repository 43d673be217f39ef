import { createRequire } from 'node:module';

/** The part of libsvm-js's SVM class this project uses. */
export interface LibsvmInstance {
  train(samples: number[][], labels: number[]): void;
  getSVIndices(): number[];
  getLabels(): number[];
  serializeModel(): string;
  free(): void;
}

export interface LibsvmClass {
  new (options: Record<string, unknown>): LibsvmInstance;
  SVM_TYPES: Record<string, string>;
  KERNEL_TYPES: Record<string, string>;
}

const require = createRequire(import.meta.url);
let loading: Promise<LibsvmClass> | undefined;

/** The WebAssembly build of libsvm, instantiated once per process. */
export function loadLibsvm(): Promise<LibsvmClass> {
  loading ??= requireQuietly();
  return loading;
}

/**
 * Emscripten tries `fetch` on a file path under Node, fails, falls back to reading the file, and
 * prints two warnings about it. Its printErr binds console.warn at require time, so a filter
 * installed around the require drops just those two lines for good and passes everything else on.
 */
function requireQuietly(): Promise<LibsvmClass> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && /^(wasm streaming compile failed|falling back to ArrayBuffer instantiation)/.test(args[0])) return;
    warn.apply(console, args);
  };
  try {
    return require('libsvm-js/wasm') as Promise<LibsvmClass>;
  } finally {
    console.warn = warn;
  }
}

export function libsvmVersion(): string {
  return (require('libsvm-js/package.json') as { version: string }).version;
}
