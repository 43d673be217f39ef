import path from 'node:path';
import { PREDICTION_TOPIC } from '../../firmware/payload.js';
import { numberOption, parseCliArgs, runCli, UsageError } from '../../train/cli-args.js';
import { startLocalStack } from './stack.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const USAGE = `usage: npm start -- [options]

  --mqtt-port N          MQTT broker port on 127.0.0.1 (default 1883)
  --http-port N          dashboard port on 127.0.0.1 (default 8080; JSON at /api/state)
  --db FILE              SQLite file, kept across restarts (default .tmp/local-stack.sqlite)
  --model DIR            model.json + scaler.json (default models)
  --prediction-topic T   where answers go; may contain {device} (default ${PREDICTION_TOPIC})
  --quiet                no per-message log lines`;

const port = (value: string | undefined, name: string, fallback: number) =>
  numberOption(value, name, fallback, (n) => Number.isInteger(n) && n >= 0 && n < 65536, 'a port number from 0 to 65535');

await runCli(USAGE, async () => {
  const { values } = parseCliArgs(process.argv.slice(2), {
    'mqtt-port': { type: 'string' },
    'http-port': { type: 'string' },
    db: { type: 'string', default: path.join(REPO, '.tmp/local-stack.sqlite') },
    model: { type: 'string', default: path.join(REPO, 'models') },
    'prediction-topic': { type: 'string', default: PREDICTION_TOPIC },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const mqttPort = port(values['mqtt-port'], 'mqtt-port', 1883);
  const httpPort = port(values['http-port'], 'http-port', 8080);
  let stack: Awaited<ReturnType<typeof startLocalStack>>;
  try {
    stack = await startLocalStack({
      mqttPort,
      httpPort,
      dbFile: values.db!,
      modelDir: values.model!,
      predictionTopic: values['prediction-topic']!,
      log: values.quiet ? undefined : (line) => console.error(JSON.stringify(line)),
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { port?: number };
    if (e.code === 'EADDRINUSE') {
      throw new UsageError(`port ${e.port ?? ''} on 127.0.0.1 is in use (another npm start?); choose others with --mqtt-port and --http-port`);
    }
    throw err;
  }
  // One JSON line on stdout: scripts (bench, tests) read the ports from it.
  console.log(JSON.stringify({ ready: true, mqtt: stack.mqttUrl, dashboard: stack.dashboardUrl, model: stack.modelId, db: values.db }));
  console.error(`GridSentry local stack: MQTT ${stack.mqttUrl}, dashboard ${stack.dashboardUrl}, model ${stack.modelId}. Ctrl-C stops.`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => {
      console.error('stop took longer than 10 s, exiting');
      process.exit(1);
    }, 10_000);
    await stack.close();
    clearTimeout(timer);
    console.error(`stopped (${signal}); ${JSON.stringify(stack.counters)}`);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
});
