/** One block of BENCHMARKS.md: a titled table, the command that measured it, and notes. */
export interface BenchSection {
  title: string;
  command: string;
  /** First row is the header. */
  table: string[][];
  notes: string[];
}
