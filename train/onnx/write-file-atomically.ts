import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TrainingError } from '../errors.js';

/**
 * Writes to a temporary file beside the target, then renames: a reader never sees half a file. A failure
 * removes the temporary file and names the target, not the temporary name the user never chose.
 */
export async function writeFileAtomically(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? `folder ${path.dirname(file)} does not exist` : e.code === 'EISDIR' ? 'it is a folder' : e.message;
    throw new TrainingError(`cannot write ${file}: ${why}`, { cause: err });
  }
}
