import { PREDICTION_TOPIC } from '../../firmware/payload.js';
import { ConfigError, envNumber, envOr, requireEnv, type Env } from '../shared/env.js';

export interface RouterConfig {
  /** Name or ARN of the inference function. */
  inferenceFunctionName: string;
  /** `smartmeter/prediction`, or a template with `{device}` such as `smartmeter/{device}/prediction`. */
  predictionTopic: string;
  /** Account-specific IoT data endpoint (https://xxxx-ats.iot.region.amazonaws.com); the SDK's default when unset. */
  iotDataEndpoint: string | undefined;
  /** Attempts per SDK call, the first included (SDK standard retry: throttling and 5xx, with backoff). */
  maxAttempts: number;
}

export function loadRouterConfig(env: Env): RouterConfig {
  const predictionTopic = envOr(env, 'PREDICTION_TOPIC', PREDICTION_TOPIC);
  if (/[#+]/.test(predictionTopic.replaceAll('{device}', ''))) {
    throw new ConfigError('PREDICTION_TOPIC', `a publish topic cannot contain MQTT wildcards, found ${JSON.stringify(predictionTopic)}`);
  }
  return {
    inferenceFunctionName: requireEnv(env, 'INFERENCE_FUNCTION_NAME'),
    predictionTopic,
    iotDataEndpoint: env.IOT_DATA_ENDPOINT?.trim() || undefined,
    maxAttempts: envNumber(env, 'AWS_MAX_ATTEMPTS', 3, 1),
  };
}
