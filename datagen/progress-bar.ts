const WIDTH = 30;
/** Redraw at most this often; a redraw per chunk would flood the terminal. */
const INTERVAL_MS = 100;

/** A one-line `[####....] 42% 420000/1000000 rows` bar for a TTY stream. */
export function progressBar(
  stream: { write(text: string): unknown },
  total: number,
  now: () => number = Date.now,
): { update(done: number): void; finish(): void } {
  let last = -Infinity;
  const draw = (done: number) => {
    const fraction = total === 0 ? 1 : Math.min(1, done / total);
    const filled = Math.round(fraction * WIDTH);
    const percent = String(Math.floor(fraction * 100)).padStart(3);
    stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${percent}% ${done}/${total} rows`);
  };
  return {
    update(done) {
      const t = now();
      if (t - last < INTERVAL_MS) return;
      last = t;
      draw(done);
    },
    finish() {
      draw(total);
      stream.write('\n');
    },
  };
}
