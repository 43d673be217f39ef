import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../test-support/run-cli.js';

const simulate = (args: string[]) => runCliProcess('firmware/simulate.ts', args, { timeoutMs: 30_000 });

describe('npm run simulate on bad options and files: a clear error, no stack trace', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gs-simulate-'));
  writeFileSync(path.join(dir, 'noise.log'), Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 2654435761) >>> 24)));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  const nowhere = ['--url', 'mqtt://127.0.0.1:1'];

  it.each<[string, string[], number, string]>([
    ['an unknown option (was a stack trace)', ['--bogus'], 2, "error: Unknown option '--bogus'"],
    ['a stray argument (was a stack trace)', ['normal'], 2, "error: Unexpected argument 'normal'"],
    ['--count 0.5 (used to send nothing)', ['--count', '0.5'], 2, 'error: --count must be a whole number > 0, got "0.5"'],
    ['--devices in hex', ['--devices', '0x10'], 2, 'error: --devices must be a whole number > 0, got "0x10"'],
    ['a negative --rate', ['--rate', '-1'], 2, 'error: --rate must be a number > 0, got "-1"'],
    ['a --client-id the router would refuse', ['--client-id', 'meter/1#'], 2, 'error: --client-id makes device ids the contract refuses'],
    ['--cert without --key and --ca', ['--cert', 'c.pem'], 2, 'error: --cert, --key and --ca go together'],
    ['a --replay log that does not exist (was a stack trace)', ['--replay', 'nope.log', ...nowhere], 1, 'error: --replay nope.log: cannot read: ENOENT'],
    ['a --replay log of binary noise', ['--replay', 'NOISE', ...nowhere], 1, 'no readings found'],
    ['PEM files that do not exist (was a stack trace)', ['--cert', 'c.pem', '--key', 'k.pem', '--ca', 'ca.pem', ...nowhere], 1, 'error: --cert c.pem: cannot read: ENOENT'],
    ['a broker that refuses the connection (was a stack trace)', [...nowhere, '--count', '1'], 1, 'error: broker mqtt://127.0.0.1:1: connect ECONNREFUSED'],
    ['a URL without a protocol (was a stack trace)', ['--url', 'localhost', '--count', '1'], 1, 'error: broker localhost: Missing protocol'],
  ])('%s', async (_name, args, exitCode, message) => {
    const { code, stderr } = await simulate(args.map((a) => (a === 'NOISE' ? path.join(dir, 'noise.log') : a)));
    expect(code).toBe(exitCode);
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
