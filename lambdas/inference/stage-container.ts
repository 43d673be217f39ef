import { copyFileSync, cpSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export const DOCKERFILE = path.resolve(import.meta.dirname, 'Dockerfile');

export interface DockerfileFacts {
  base: string;
  /** `COPY <src> ${LAMBDA_TASK_ROOT}/<dest>`, dest relative to the task root. */
  copies: { src: string; dest: string }[];
  /** CMD's handler, e.g. `index.handler`. */
  handler: string;
}

export function readDockerfile(text = readFileSync(DOCKERFILE, 'utf8')): DockerfileFacts {
  const lines = text.split('\n').filter((l) => !l.startsWith('#') && l.trim() !== '');
  const base = lines.find((l) => l.startsWith('FROM '))?.slice(5).trim() ?? '';
  const copies = lines
    .filter((l) => l.startsWith('COPY '))
    .map((l) => {
      const [src, dest] = l.slice(5).trim().split(/\s+/);
      return { src, dest: dest.replace('${LAMBDA_TASK_ROOT}/', '') };
    });
  const handler = JSON.parse(lines.find((l) => l.startsWith('CMD '))?.slice(4) ?? '[]')[0];
  return { base, copies, handler };
}

/**
 * Copies exactly what the Dockerfile copies from the build context into `taskRoot` (what /var/task holds
 * in the image), since no Docker engine runs here. Returns the module file and export the runtime calls.
 */
export function stageContainer(contextDir: string, taskRoot: string): { module: string; exportName: string } {
  const facts = readDockerfile();
  mkdirSync(taskRoot, { recursive: true });
  for (const { src, dest } of facts.copies) {
    const from = path.join(contextDir, src);
    const to = path.join(taskRoot, dest);
    if (statSync(from).isDirectory()) cpSync(from, to, { recursive: true });
    else copyFileSync(from, dest === '' || dest.endsWith('/') ? path.join(to, path.basename(from)) : to);
  }
  const [module, exportName] = facts.handler.split('.');
  return { module: path.join(taskRoot, `${module}.mjs`), exportName };
}

/** A node -e script that does what the Lambda runtime does: import the module, call the export with EVENT. */
export function runtimeScript(module: string, exportName: string): string {
  return `
    const m = await import(${JSON.stringify(module)});
    try { console.log(JSON.stringify(await m[${JSON.stringify(exportName)}](JSON.parse(process.env.EVENT)))); }
    catch (e) { console.log(JSON.stringify({ errorType: e.name, errorMessage: e.message })); process.exitCode = 1; }`;
}
