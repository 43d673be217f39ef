import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PREDICTION_TOPIC } from './payload.js';
import type { Scenario } from './scenario.js';
import { parseSerialLog } from './serial-log.js';
import { runSimulation } from './simulator.js';

const USAGE = `npm run simulate -- [options]

  --url URL            broker (default mqtt://127.0.0.1:1883); AWS IoT Core: mqtts://<endpoint>:8883 with --cert --key --ca
  --scenario KIND      normal | theft (default normal)
  --channel C          c1 | c2 | c3: the channel being stolen from (theft)
  --mode M             blatant | stealth (theft, default blatant)
  --replay FILE        replay the readings of an ESP32 serial log instead of a scenario
  --rate N             messages per second, all meters together (default 1)
  --count N            messages to send (default 10)
  --devices N          simulated meters (default 1)
  --client-id ID       client id prefix (default sim-meter-)
  --prediction-topic T topic the meters listen on; {device} for per-device topics (default ${PREDICTION_TOPIC})
  --cert, --key, --ca  PEM files for AWS IoT Core (X.509 client certificate)`;

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'mqtt://127.0.0.1:1883' },
    scenario: { type: 'string', default: 'normal' },
    channel: { type: 'string' },
    mode: { type: 'string', default: 'blatant' },
    replay: { type: 'string' },
    rate: { type: 'string', default: '1' },
    count: { type: 'string', default: '10' },
    devices: { type: 'string', default: '1' },
    'client-id': { type: 'string', default: 'sim-meter-' },
    'prediction-topic': { type: 'string', default: PREDICTION_TOPIC },
    cert: { type: 'string' },
    key: { type: 'string' },
    ca: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
let scenario: Scenario;
if (values.scenario === 'normal') scenario = { kind: 'normal' };
else if (values.scenario === 'theft') {
  if (!['c1', 'c2', 'c3'].includes(values.channel ?? '')) fail('--channel must be c1, c2 or c3 for a theft');
  if (!['blatant', 'stealth'].includes(values.mode)) fail('--mode must be blatant or stealth');
  scenario = { kind: 'theft', channel: values.channel as 'c1', mode: values.mode as 'blatant' };
} else fail(`--scenario must be normal or theft, found ${values.scenario}`);
const numbers = ['rate', 'count', 'devices'].map((k) => {
  const n = Number(values[k as 'rate']);
  if (!Number.isFinite(n) || n <= 0) fail(`--${k} must be a positive number`);
  return n;
});
if ([values.cert, values.key, values.ca].some(Boolean) && ![values.cert, values.key, values.ca].every(Boolean)) {
  fail('--cert, --key and --ca go together');
}
const replay = values.replay ? parseSerialLog(readFileSync(values.replay, 'utf8'), { time: Date.now(), offsetMinutes: 180 }).payloads : undefined;
if (replay && replay.length === 0) fail(`${values.replay}: no readings found`);

const report = await runSimulation({
  url: values.url,
  rate: numbers[0],
  count: Math.floor(numbers[1]),
  devices: Math.floor(numbers[2]),
  scenarios: [scenario],
  replay,
  clientPrefix: values['client-id'],
  predictionTopic: values['prediction-topic'],
  client: values.cert ? { cert: readFileSync(values.cert), key: readFileSync(values.key!), ca: readFileSync(values.ca!), protocol: 'mqtts' } : undefined,
  onPrediction: (device, msg) => console.log(`${device} <- ${JSON.stringify(msg)}`),
});
console.error(`sent ${report.sent}, answered ${report.answered}, unanswered ${report.unanswered}, labels ${JSON.stringify(report.labels)}`);
process.exitCode = report.unanswered === 0 ? 0 : 1;
