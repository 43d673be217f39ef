import type { CfnElement } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { statementsOfRole, synthGridSentry } from './synth-fixture.js';

// sink=influxdb: no Timestream resources or permissions; storage gets the InfluxDB settings.
const s = synthGridSentry({
  sink: 'influxdb',
  influxUrl: 'https://influx.example.net:8086',
  influxOrg: 'gridsentry',
  influxBucket: 'readings',
  influxTokenSecret: 'gridsentry/influx-token',
});
afterAll(() => s.cleanup());

const idOf = (path: string) => s.stack.getLogicalId(s.stack.node.findChild(path).node.defaultChild as CfnElement);

describe('InfluxDB sink', () => {
  it('creates no Timestream database, table or Grafana Timestream policy', () => {
    s.template.resourceCountIs('AWS::Timestream::Database', 0);
    s.template.resourceCountIs('AWS::Timestream::Table', 0);
    s.template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
  });

  it('configures storage for the InfluxDB 2.x org and bucket, the token resolved from Secrets Manager at deploy', () => {
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'smartmeter-to-timestream',
      Environment: {
        Variables: {
          SINK: 'influxdb',
          INFLUX_URL: 'https://influx.example.net:8086',
          INFLUX_ORG: 'gridsentry',
          INFLUX_BUCKET: 'readings',
          INFLUX_TOKEN: '{{resolve:secretsmanager:gridsentry/influx-token:SecretString:::}}',
        },
      },
    });
  });

  it('gives storage no Timestream permission at all', () => {
    const actions = statementsOfRole(s.json, idOf('StorageRole')).map((st) => (st as { Action: unknown }).Action);
    expect(actions).toEqual([['logs:CreateLogStream', 'logs:PutLogEvents'], 'sqs:SendMessage']);
  });

  it('still stores readings and predictions through the same three rules', () => {
    s.template.resourceCountIs('AWS::IoT::TopicRule', 3);
  });
});
