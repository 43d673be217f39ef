import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TrainingError } from '../errors.js';

const tmpOf = (file: string) => path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);

/**
 * Writes to a temporary file beside the target, then renames: a reader never sees half a file. A failure
 * removes the temporary file and names the target, not the temporary name the user never chose.
 */
export async function writeFileAtomically(file: string, data: Uint8Array | string): Promise<void> {
  await writeFilesAtomically([{ file, data }]);
}

/**
 * Several files that belong together (a model and its scaler): every one is written to its temporary
 * name first, and only when all are complete are they renamed into place. A full disk or a bad folder
 * therefore leaves the previous set untouched instead of a new scaler beside an old model.
 */
export async function writeFilesAtomically(files: readonly { file: string; data: Uint8Array | string }[]): Promise<void> {
  let current = files[0]?.file ?? '';
  try {
    for (const { file, data } of files) {
      current = file;
      await writeFile(tmpOf(file), data);
    }
    for (const { file } of files) {
      current = file;
      await rename(tmpOf(file), file);
    }
  } catch (err) {
    await Promise.all(files.map(({ file }) => rm(tmpOf(file), { force: true })));
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? `folder ${path.dirname(current)} does not exist` : e.code === 'EISDIR' ? 'it is a folder' : e.message;
    throw new TrainingError(`cannot write ${current}: ${why}`, { cause: err });
  }
}
