import { App } from 'aws-cdk-lib';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeGrafanaProvisioning } from '../grafana/provisioning-files.js';
import { ConfigError, resolveConfig, type GridSentryConfig } from '../lib/config.js';
import { GridSentryStack } from '../lib/gridsentry-stack.js';
import { lambdaAssetDirs, missingLambdaAssets } from '../lib/lambda-assets.js';

const app = new App();

// Everything set with `-c key=value` or in cdk.json's "context", minus the CDK's own keys
// (feature flags start with `@`, lookups and internals contain `:`).
const raw: Record<string, unknown> = {};
for (const [key, value] of Object.entries(app.node.getAllContext())) {
  if (!key.startsWith('@') && !key.includes(':')) raw[key] = value;
}
let config: GridSentryConfig;
try {
  config = resolveConfig(raw);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`Invalid parameter (-c ${err.key}=...): ${err.message}`);
  process.exit(1);
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const assets = lambdaAssetDirs(repoRoot);
const missing = missingLambdaAssets(assets);
if (missing.length > 0) {
  throw new Error(`Lambda bundles missing (run \`npm run build:lambdas\` or \`npm run synth\`): ${missing.join(', ')}`);
}

new GridSentryStack(app, config.stackName, {
  config,
  assets,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: config.region },
  description: 'GridSentry: IoT rules, router/inference/storage Lambdas, time-series storage, alarms',
});

// Grafana provisioning for this deployment (alert threshold included) next to the template. The data source,
// dashboard and rules query Timestream, so there is nothing to write for sink=influxdb.
const grafanaDir = join(app.outdir, 'grafana');
rmSync(grafanaDir, { recursive: true, force: true });
if (config.sink === 'timestream') writeGrafanaProvisioning(grafanaDir, { voltageThreshold: config.voltageThreshold });
