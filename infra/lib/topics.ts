import type { TopicLayout } from './config.js';

/** The topic the meter firmware publishes readings on (kaveke/gridsentry firmware, unchanged). */
export const TELEMETRY_TOPIC = 'smartmeter/data';
/** The seed's shared prediction topic; the firmware subscribes to it. */
export const SHARED_PREDICTION_TOPIC = 'smartmeter/prediction';
/** Placeholder the router replaces with the device id (`PREDICTION_TOPIC` contract with lambdas/router). */
export const DEVICE_PLACEHOLDER = '{device}';
export const PER_DEVICE_PREDICTION_TOPIC = `smartmeter/${DEVICE_PLACEHOLDER}/prediction`;
/** IoT policy variable: the thing name, equal to the MQTT client id when the certificate is attached to the thing. */
export const THING_NAME_VARIABLE = '${iot:Connection.Thing.ThingName}';

export interface TopicPlan {
  /** Value of the router's PREDICTION_TOPIC. */
  routerPredictionTopic: string;
  /** Topic (IoT ARN resource part after `topic/`) the router may publish to; `+` wildcards are not allowed in ARNs, `*` is. */
  routerPublishResource: string;
  /** Topic filter the predictions-to-storage rule selects from. */
  predictionRuleFilter: string;
  /** Prediction topic a meter may subscribe to and receive, with the policy variable for its own name. */
  meterPredictionTopic: string;
}

export function topicPlan(layout: TopicLayout): TopicPlan {
  if (layout === 'shared') {
    return {
      routerPredictionTopic: SHARED_PREDICTION_TOPIC,
      routerPublishResource: SHARED_PREDICTION_TOPIC,
      predictionRuleFilter: SHARED_PREDICTION_TOPIC,
      meterPredictionTopic: SHARED_PREDICTION_TOPIC,
    };
  }
  return {
    routerPredictionTopic: PER_DEVICE_PREDICTION_TOPIC,
    // In IAM resource ARNs `*` matches any characters; this is the narrowest pattern covering every device.
    routerPublishResource: 'smartmeter/*/prediction',
    predictionRuleFilter: 'smartmeter/+/prediction',
    meterPredictionTopic: `smartmeter/${THING_NAME_VARIABLE}/prediction`,
  };
}

/** Both reading rules select the whole payload plus the device id the broker authenticated and the topic. */
export const READINGS_SQL = `SELECT *, clientid() AS device_id, topic() AS topic FROM '${TELEMETRY_TOPIC}'`;

/**
 * Predictions are published by the router through the IoT data plane (no MQTT client id), so the device id
 * comes from the topic in the per-device layout and from the message itself in the shared layout.
 */
export function predictionsSql(layout: TopicLayout): string {
  const filter = topicPlan(layout).predictionRuleFilter;
  return layout === 'per-device'
    ? `SELECT *, topic(2) AS device_id, topic() AS topic FROM '${filter}'`
    : `SELECT *, topic() AS topic FROM '${filter}'`;
}
