import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Writes to a temporary file beside the target, then renames: a reader never sees half a file. */
export async function writeFileAtomically(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  await writeFile(tmp, data);
  await rename(tmp, file);
}
