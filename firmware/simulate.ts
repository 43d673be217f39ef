import { readFileSync } from 'node:fs';
import { numberOption, parseCliArgs, runCli, UsageError } from '../train/cli-args.js';
import { FirmwareError } from './errors.js';
import { DEVICE_ID_PATTERN, PREDICTION_TOPIC } from './payload.js';
import type { Scenario } from './scenario.js';
import { parseSerialLog } from './serial-log.js';
import { runSimulation } from './simulator.js';

const USAGE = `usage: npm run simulate -- [options]

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

async function main(): Promise<void> {
  const { values } = parseCliArgs(process.argv.slice(2), {
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
  }, { positionals: false });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let scenario: Scenario;
  if (values.scenario === 'normal') scenario = { kind: 'normal' };
  else if (values.scenario === 'theft') {
    if (!['c1', 'c2', 'c3'].includes(values.channel ?? '')) throw new UsageError('--channel must be c1, c2 or c3 for a theft');
    if (!['blatant', 'stealth'].includes(values.mode)) throw new UsageError('--mode must be blatant or stealth');
    scenario = { kind: 'theft', channel: values.channel as 'c1', mode: values.mode as 'blatant' };
  } else throw new UsageError(`--scenario must be normal or theft, found ${values.scenario}`);
  const rate = numberOption(values.rate, 'rate', 1, (n) => Number.isFinite(n) && n > 0, 'a number > 0');
  // Whole numbers: --count 0.5 used to pass the check and then send nothing.
  const count = numberOption(values.count, 'count', 10, (n) => Number.isSafeInteger(n) && n > 0, 'a whole number > 0');
  const devices = numberOption(values.devices, 'devices', 1, (n) => Number.isSafeInteger(n) && n > 0, 'a whole number > 0');
  // The client id becomes the device id, which the router refuses unless it is safe as a topic level.
  if (!DEVICE_ID_PATTERN.test(`${values['client-id']}${String(devices).padStart(4, '0')}`)) {
    throw new UsageError(`--client-id makes device ids the contract refuses: 1-128 characters from A-Z a-z 0-9 _ . : - in all, found ${JSON.stringify(values['client-id'])}`);
  }
  if ([values.cert, values.key, values.ca].some(Boolean) && ![values.cert, values.key, values.ca].every(Boolean)) {
    throw new UsageError('--cert, --key and --ca go together');
  }
  const read = (option: string, file: string) => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new FirmwareError(`--${option} ${file}: cannot read: ${(err as Error).message}`, { cause: err });
    }
  };
  const replay = values.replay ? parseSerialLog(read('replay', values.replay).toString('utf8'), { time: Date.now(), offsetMinutes: 180 }).payloads : undefined;
  if (replay && replay.length === 0) throw new FirmwareError(`${values.replay}: no readings found`);
  const client = values.cert ? { cert: read('cert', values.cert), key: read('key', values.key!), ca: read('ca', values.ca!), protocol: 'mqtts' as const } : undefined;

  const report = await runSimulation({
    url: values.url,
    rate,
    count,
    devices,
    scenarios: [scenario],
    replay,
    clientPrefix: values['client-id'],
    predictionTopic: values['prediction-topic'],
    client,
    onPrediction: (device, msg) => console.log(`${device} <- ${JSON.stringify(msg)}`),
  }).catch((err: Error) => {
    throw new FirmwareError(`broker ${values.url}: ${err.message}`, { cause: err });
  });
  console.error(`sent ${report.sent}, answered ${report.answered}, unanswered ${report.unanswered}, labels ${JSON.stringify(report.labels)}`);
  process.exitCode = report.unanswered === 0 ? 0 : 1;
}

await runCli(USAGE, main);
