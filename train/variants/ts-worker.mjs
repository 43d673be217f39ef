// Worker bootstrap for TypeScript entries: Node 20 loads a worker's entry before `--import tsx` in
// execArgv takes effect, so the worker starts here, registers tsx's ESM loader, then imports the entry.
import { register } from 'tsx/esm/api';

register();
await import(process.argv[2]);
