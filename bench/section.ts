import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** One block of BENCHMARKS.md: a titled table, the command that measured it, and notes. */
export interface BenchSection {
  title: string;
  command: string;
  /** First row is the header. */
  table: string[][];
  notes: string[];
}

export function renderSection(s: BenchSection): string {
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const [head, ...body] = s.table;
  return [`## ${s.title}`, '', `Measured ${new Date().toISOString().slice(0, 10)} with \`${s.command}\``, '', row(head), row(head.map(() => '---')), ...body.map(row), '', ...s.notes.map((n) => `- ${n}`), ''].join('\n');
}

/** Replaces the section with the same title in the file, or appends it; other sections stay as they are. */
export function writeSection(file: string, s: BenchSection): void {
  const start = `<!-- section: ${s.title} -->`;
  const end = `<!-- /section: ${s.title} -->`;
  const block = `${start}\n${renderSection(s)}${end}\n`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\nWritten by `npm run bench` (2-core machine, Node 20); each section names the command that measured it.\n';
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  writeFileSync(file, i >= 0 && j > i ? text.slice(0, i) + block + text.slice(j + end.length + 1) : `${text.trimEnd()}\n\n${block}`);
}
