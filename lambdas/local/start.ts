import path from 'node:path';
import { parseArgs } from 'node:util';
import { PREDICTION_TOPIC } from '../../firmware/payload.js';
import { startLocalStack } from './stack.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const { values } = parseArgs({
  options: {
    'mqtt-port': { type: 'string', default: '1883' },
    'http-port': { type: 'string', default: '8080' },
    db: { type: 'string', default: path.join(REPO, '.tmp/local-stack.sqlite') },
    models: { type: 'string', default: path.join(REPO, 'models') },
    'prediction-topic': { type: 'string', default: PREDICTION_TOPIC },
    quiet: { type: 'boolean', default: false },
  },
});

const stack = await startLocalStack({
  mqttPort: Number(values['mqtt-port']),
  httpPort: Number(values['http-port']),
  dbFile: values.db,
  modelDir: values.models,
  predictionTopic: values['prediction-topic'],
  log: values.quiet ? undefined : (line) => console.error(JSON.stringify(line)),
});
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
