import type { TopicLayout } from './config.js';
import { TELEMETRY_TOPIC, THING_NAME_VARIABLE, topicPlan } from './topics.js';

export interface IotPolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

export interface IotPolicyDocument {
  Version: '2012-10-17';
  Statement: IotPolicyStatement[];
}

/**
 * The AWS IoT policy attached to every meter certificate. `arnPrefix` is `arn:<partition>:iot:<region>:<account>`.
 *
 * - Connect only with the client id equal to the thing name, and only when the certificate is attached to
 *   that thing; so `clientid()` in the rules is an authenticated device id.
 * - Publish only to the telemetry topic: the reading is attributed to the authenticated client id by the
 *   rules, so a meter cannot file readings under another meter's id.
 * - Subscribe to and receive only the prediction topic; in the per-device layout that is the meter's own
 *   `smartmeter/<thing>/prediction`. In the shared layout (the seed firmware's topic) every meter can read
 *   every prediction: choose `topicLayout=per-device` when meters must not see each other's answers.
 */
export function meterPolicyDocument(arnPrefix: string, layout: TopicLayout): IotPolicyDocument {
  const predictionTopic = topicPlan(layout).meterPredictionTopic;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ConnectAsOwnThing',
        Effect: 'Allow',
        Action: 'iot:Connect',
        Resource: `${arnPrefix}:client/${THING_NAME_VARIABLE}`,
        Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
      },
      {
        Sid: 'PublishTelemetry',
        Effect: 'Allow',
        Action: 'iot:Publish',
        Resource: `${arnPrefix}:topic/${TELEMETRY_TOPIC}`,
      },
      {
        Sid: 'SubscribePredictions',
        Effect: 'Allow',
        Action: 'iot:Subscribe',
        Resource: `${arnPrefix}:topicfilter/${predictionTopic}`,
      },
      {
        Sid: 'ReceivePredictions',
        Effect: 'Allow',
        Action: 'iot:Receive',
        Resource: `${arnPrefix}:topic/${predictionTopic}`,
      },
    ],
  };
}
