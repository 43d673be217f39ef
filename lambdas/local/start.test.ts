import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'gs-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `npm start` as a person runs it: starts, serves the dashboard, and Ctrl-C (SIGINT) stops it cleanly. */
it('starts on free loopback ports and stops cleanly on SIGINT', async () => {
  const child = spawn(process.execPath, [path.join(REPO, 'node_modules/tsx/dist/cli.mjs'), 'lambdas/local/start.ts', '--mqtt-port', '0', '--http-port', '0', '--db', path.join(dir, 'db.sqlite')], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const first = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ready line in 30 s: ${stderr}`)), 30_000);
      createInterface({ input: child.stdout }).once('line', (l) => {
        clearTimeout(timer);
        resolve(l);
      });
    });
    const ready = JSON.parse(first);
    expect(ready).toMatchObject({ ready: true, mqtt: expect.stringMatching(/^mqtt:\/\/127\.0\.0\.1:\d+$/), dashboard: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/) });
    expect((await fetch(ready.dashboard)).status).toBe(200);
    child.kill('SIGINT');
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 15_000))]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/stopped \(SIGINT\)/);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
