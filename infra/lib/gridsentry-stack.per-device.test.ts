import type { CfnElement } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { statementsOfRole, synthGridSentry } from './synth-fixture.js';

// Per-device prediction topics, other retention and names: what changes with the parameters.
const s = synthGridSentry({
  topicLayout: 'per-device',
  memoryRetentionHours: '48',
  magneticRetentionDays: '30',
  databaseName: 'LabDB',
  tableName: 'LabReadings',
  routerFunctionName: 'lab-router',
  stackName: 'GridSentryLab',
});
afterAll(() => s.cleanup());

const idOf = (path: string) => s.stack.getLogicalId(s.stack.node.findChild(path).node.defaultChild as CfnElement);
const iotArn = (resource: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iot:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${resource}`]],
});

describe('per-device topic layout', () => {
  it('tells the router to publish to smartmeter/{device}/prediction', () => {
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'lab-router',
      Environment: { Variables: { INFERENCE_FUNCTION_NAME: { Ref: idOf('Inference') }, PREDICTION_TOPIC: 'smartmeter/{device}/prediction' } },
    });
  });

  it('lets the router publish to per-device prediction topics and nothing else', () => {
    const publish = statementsOfRole(s.json, idOf('RouterRole')).filter((st) => (st as { Action: unknown }).Action === 'iot:Publish');
    expect(publish).toEqual([
      { Sid: 'PublishPredictionsOnly', Effect: 'Allow', Action: 'iot:Publish', Resource: iotArn('topic/smartmeter/*/prediction') },
    ]);
  });

  it('stores predictions from every device topic with the device taken from the topic', () => {
    s.template.hasResourceProperties('AWS::IoT::TopicRule', {
      RuleName: 'gridsentry_predictions_to_storage',
      TopicRulePayload: { Sql: "SELECT *, topic(2) AS device_id, topic() AS topic FROM 'smartmeter/+/prediction'" },
    });
  });

  it('lets a meter subscribe to and receive only its own prediction topic', () => {
    const statements = (s.json.Resources.MeterPolicy?.Properties?.PolicyDocument as { Statement: unknown[] }).Statement;
    expect(statements).toEqual([
      {
        Sid: 'ConnectAsOwnThing',
        Effect: 'Allow',
        Action: 'iot:Connect',
        Resource: iotArn('client/${iot:Connection.Thing.ThingName}'),
        Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
      },
      { Sid: 'PublishTelemetry', Effect: 'Allow', Action: 'iot:Publish', Resource: iotArn('topic/smartmeter/data') },
      {
        Sid: 'SubscribePredictions',
        Effect: 'Allow',
        Action: 'iot:Subscribe',
        Resource: iotArn('topicfilter/smartmeter/${iot:Connection.Thing.ThingName}/prediction'),
      },
      {
        Sid: 'ReceivePredictions',
        Effect: 'Allow',
        Action: 'iot:Receive',
        Resource: iotArn('topic/smartmeter/${iot:Connection.Thing.ThingName}/prediction'),
      },
    ]);
    s.template.hasResourceProperties('AWS::IoT::Policy', { PolicyName: 'GridSentryLab-meter' });
  });
});

describe('names and retention from parameters', () => {
  it('creates the named table with the chosen retention and tells storage about it', () => {
    s.template.hasResourceProperties('AWS::Timestream::Database', { DatabaseName: 'LabDB' });
    s.template.hasResourceProperties('AWS::Timestream::Table', {
      TableName: 'LabReadings',
      RetentionProperties: { MemoryStoreRetentionPeriodInHours: '48', MagneticStoreRetentionPeriodInDays: '30' },
    });
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'smartmeter-to-timestream',
      Environment: {
        Variables: {
          SINK: 'timestream',
          TIMESTREAM_DATABASE: 'LabDB',
          TIMESTREAM_TABLE: { 'Fn::GetAtt': ['Table', 'Name'] },
          MEMORY_STORE_RETENTION_HOURS: '48',
        },
      },
    });
  });
});
