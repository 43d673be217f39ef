import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll, describe, expect, it } from 'vitest';
import { TIMESTREAM_MAINTENANCE_RULE } from './gridsentry-stack.js';
import { statementsOfRole, synthGridSentry } from './synth-fixture.js';

// One synthesis, with the defaults (the seed's names, shared prediction topic, Timestream), for every test.
const s = synthGridSentry({}, { validate: true });
afterAll(() => s.cleanup());

const logicalId = (c: IConstruct): string => s.stack.getLogicalId(c.node.defaultChild as CfnElement);
const child = (path: string): IConstruct => s.stack.node.findChild(path);
const idOf = (path: string): string => logicalId(child(path));
const getAtt = (path: string, attr = 'Arn') => ({ 'Fn::GetAtt': [idOf(path), attr] });
const ref = (path: string) => ({ Ref: idOf(path) });
const iotArn = (resource: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iot:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${resource}`]],
});

describe('resources', () => {
  it('creates exactly the expected resources', () => {
    const counts: Record<string, number> = {};
    for (const r of Object.values(s.json.Resources)) counts[r.Type] = (counts[r.Type] ?? 0) + 1;
    expect(counts).toEqual({
      'AWS::Timestream::Database': 1,
      'AWS::Timestream::Table': 1,
      'AWS::Lambda::Function': 3,
      'AWS::Lambda::EventInvokeConfig': 2,
      'AWS::Lambda::Permission': 3,
      'AWS::Logs::LogGroup': 3,
      'AWS::IAM::Role': 4,
      'AWS::IAM::Policy': 4,
      'AWS::IAM::ManagedPolicy': 1,
      'AWS::IoT::TopicRule': 3,
      'AWS::IoT::Policy': 1,
      'AWS::SQS::Queue': 2,
      'AWS::SQS::QueuePolicy': 2,
      'AWS::SNS::Topic': 1,
      'AWS::SNS::TopicPolicy': 1,
      'AWS::CloudWatch::Alarm': 5,
    });
  });

  it('passes the CDK template validation with only the Timestream maintenance-mode finding acknowledged', () => {
    const report = s.validation;
    if (!report) throw new Error('synthesized without validation');
    const violations = report.pluginReports.flatMap((p) => p.violations);
    expect(violations).toEqual([]);
    const suppressed = report.pluginReports
      .flatMap((p) => p.suppressedViolations ?? [])
      .flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} ${c.constructPath}`))
      .sort();
    const rule = TIMESTREAM_MAINTENANCE_RULE.replace('CloudFormation-Validate::', '');
    expect(suppressed).toEqual([`${rule} GridSentry/Database`, `${rule} GridSentry/Table`]);
  });
});

describe('Timestream', () => {
  it('keeps the database SmartMeterDB when the stack is deleted', () => {
    s.template.hasResource('AWS::Timestream::Database', {
      Properties: { DatabaseName: 'SmartMeterDB' },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('creates SmartMeterReadings with 24 h in memory and 365 days on magnetic storage', () => {
    s.template.hasResource('AWS::Timestream::Table', {
      Properties: {
        DatabaseName: { Ref: 'Database' },
        TableName: 'SmartMeterReadings',
        RetentionProperties: { MemoryStoreRetentionPeriodInHours: '24', MagneticStoreRetentionPeriodInDays: '365' },
      },
      DeletionPolicy: 'Retain',
    });
  });
});

describe('functions', () => {
  it('runs the router from its esbuild bundle on Node.js 22 with the inference name and the shared topic', () => {
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'router_lambda',
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Architectures: ['x86_64'],
      Code: { S3Bucket: Match.anyValue(), S3Key: Match.stringLikeRegexp('\\.zip$') },
      Role: getAtt('RouterRole'),
      LoggingConfig: { LogGroup: ref('RouterLogs') },
      Environment: {
        Variables: { INFERENCE_FUNCTION_NAME: ref('Inference'), PREDICTION_TOPIC: 'smartmeter/prediction' },
      },
    });
  });

  it('runs storage from its bundle on Node.js 22 writing to the Timestream table', () => {
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'smartmeter-to-timestream',
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: getAtt('StorageRole'),
      Environment: {
        Variables: {
          SINK: 'timestream',
          TIMESTREAM_DATABASE: 'SmartMeterDB',
          TIMESTREAM_TABLE: { 'Fn::GetAtt': ['Table', 'Name'] },
          MEMORY_STORE_RETENTION_HOURS: '24',
        },
      },
    });
  });

  it('runs inference from the container image built from the staged folder', () => {
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'PowerTheftDetector_model',
      PackageType: 'Image',
      Architectures: ['x86_64'],
      Code: { ImageUri: { 'Fn::Sub': Match.stringLikeRegexp('dkr\\.ecr\\..*container-assets') } },
      Role: getAtt('InferenceRole'),
      Runtime: Match.absent(),
      Handler: Match.absent(),
    });
  });

  it('uses no runtime other than nodejs22.x for zip functions', () => {
    const runtimes = Object.values(s.json.Resources)
      .filter((r) => r.Type === 'AWS::Lambda::Function' && r.Properties?.PackageType !== 'Image')
      .map((r) => r.Properties?.Runtime);
    expect(runtimes).toEqual(['nodejs22.x', 'nodejs22.x']);
  });

  it('parks failed asynchronous events: router not retried, storage retried twice within 6 h', () => {
    const destination = { OnFailure: { Destination: getAtt('FailedInvocationsQueue') } };
    s.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: ref('Router'),
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 60,
      DestinationConfig: destination,
    });
    s.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: ref('Storage'),
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 21600,
      DestinationConfig: destination,
    });
  });

  it.each([
    ['RouterLogs', '/aws/lambda/router_lambda'],
    ['StorageLogs', '/aws/lambda/smartmeter-to-timestream'],
    ['InferenceLogs', '/aws/lambda/PowerTheftDetector_model'],
  ])('keeps %s in %s for 30 days', (path, name) => {
    expect(s.json.Resources[idOf(path)]?.Properties).toEqual({ LogGroupName: name, RetentionInDays: 30 });
  });
});

describe('topic rules', () => {
  const errorAction = () => ({
    Sqs: { QueueUrl: ref('RuleErrorsQueue'), RoleArn: getAtt('TopicRuleErrorRole'), UseBase64: false },
  });

  it.each([
    ['ReadingsToRouter', 'gridsentry_readings_to_router', "SELECT *, clientid() AS device_id, topic() AS topic FROM 'smartmeter/data'", 'Router'],
    ['ReadingsToStorage', 'gridsentry_readings_to_storage', "SELECT *, clientid() AS device_id, topic() AS topic FROM 'smartmeter/data'", 'Storage'],
    ['PredictionsToStorage', 'gridsentry_predictions_to_storage', "SELECT *, topic() AS topic FROM 'smartmeter/prediction'", 'Storage'],
  ])('%s selects with the exact SQL, invokes its function and keeps failures', (id, ruleName, sql, fn) => {
    expect(s.json.Resources[id]?.Properties).toEqual({
      RuleName: ruleName,
      TopicRulePayload: {
        Sql: sql,
        AwsIotSqlVersion: '2016-03-23',
        RuleDisabled: false,
        Actions: [{ Lambda: { FunctionArn: getAtt(fn) } }],
        ErrorAction: errorAction(),
      },
    });
  });

  it.each([
    ['ReadingsToRouter', 'Router'],
    ['ReadingsToStorage', 'Storage'],
    ['PredictionsToStorage', 'Storage'],
  ])('lets only rule %s of this account invoke %s', (rule, fn) => {
    s.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: getAtt(fn),
      Principal: 'iot.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
      SourceArn: { 'Fn::GetAtt': [rule, 'Arn'] },
    });
  });

  it('dead-letter queues keep messages 14 days, encrypted, TLS only', () => {
    for (const [path, name] of [
      ['RuleErrorsQueue', 'gridsentry-rule-errors'],
      ['FailedInvocationsQueue', 'gridsentry-failed-invocations'],
    ] as const) {
      expect(s.json.Resources[idOf(path)]?.Properties).toEqual({
        QueueName: name,
        MessageRetentionPeriod: 1209600,
        SqsManagedSseEnabled: true,
      });
    }
    s.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Deny',
            Action: 'sqs:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Resource: getAtt('RuleErrorsQueue'),
          },
        ],
      },
    });
  });
});

describe('IAM, statement by statement', () => {
  const logs = (path: string) => ({
    Sid: 'WriteOwnLogs',
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: getAtt(path),
  });
  const sendFailed = () => ({
    Sid: 'SendFailedEvents',
    Effect: 'Allow',
    Action: 'sqs:SendMessage',
    Resource: getAtt('FailedInvocationsQueue'),
  });

  it('router: its logs, invoke the inference function only, publish the prediction topic only', () => {
    expect(statementsOfRole(s.json, idOf('RouterRole'))).toEqual([
      logs('RouterLogs'),
      sendFailed(),
      { Sid: 'InvokeInferenceOnly', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: getAtt('Inference') },
      { Sid: 'PublishPredictionsOnly', Effect: 'Allow', Action: 'iot:Publish', Resource: iotArn('topic/smartmeter/prediction') },
    ]);
  });

  it('storage: its logs, WriteRecords on the table, DescribeEndpoints (AWS allows only *)', () => {
    expect(statementsOfRole(s.json, idOf('StorageRole'))).toEqual([
      logs('StorageLogs'),
      sendFailed(),
      { Sid: 'WriteReadingsTable', Effect: 'Allow', Action: 'timestream:WriteRecords', Resource: { 'Fn::GetAtt': ['Table', 'Arn'] } },
      { Sid: 'TimestreamEndpointDiscovery', Effect: 'Allow', Action: 'timestream:DescribeEndpoints', Resource: '*' },
    ]);
  });

  it('inference: its logs only', () => {
    expect(statementsOfRole(s.json, idOf('InferenceRole'))).toEqual([logs('InferenceLogs')]);
  });

  it('topic rules: send to the rule-errors queue only', () => {
    expect(statementsOfRole(s.json, idOf('TopicRuleErrorRole'))).toEqual([
      { Sid: 'SendRuleErrors', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: getAtt('RuleErrorsQueue') },
    ]);
  });

  it.each([
    ['RouterRole', 'lambda.amazonaws.com', undefined],
    ['StorageRole', 'lambda.amazonaws.com', undefined],
    ['InferenceRole', 'lambda.amazonaws.com', undefined],
    [
      'TopicRuleErrorRole',
      'iot.amazonaws.com',
      {
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnLike: { 'aws:SourceArn': iotArn('rule/gridsentry_*') },
      },
    ],
  ])('%s is assumable by %s only and has no managed policies', (path, service, condition) => {
    const props = s.json.Resources[idOf(path)]?.Properties ?? {};
    expect(props.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: service }, ...(condition ? { Condition: condition } : {}) },
      ],
    });
    expect(props.ManagedPolicyArns).toBeUndefined();
  });

  it('Grafana read policy: query the table, DescribeEndpoints on *', () => {
    s.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'QueryReadingsTable',
            Effect: 'Allow',
            Action: ['timestream:Select', 'timestream:DescribeTable', 'timestream:ListMeasures'],
            Resource: { 'Fn::GetAtt': ['Table', 'Arn'] },
          },
          { Sid: 'TimestreamEndpointDiscovery', Effect: 'Allow', Action: 'timestream:DescribeEndpoints', Resource: '*' },
        ],
      },
    });
  });

  it('allows no * action or resource anywhere except timestream:DescribeEndpoints', () => {
    const allows: { where: string; Action: unknown; Resource: unknown }[] = [];
    for (const [id, r] of Object.entries(s.json.Resources)) {
      const doc = (r.Properties?.PolicyDocument ?? undefined) as { Statement: Record<string, unknown>[] } | undefined;
      for (const st of doc?.Statement ?? []) {
        if (st.Effect === 'Allow') allows.push({ where: id, Action: st.Action, Resource: st.Resource });
      }
    }
    const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);
    const wildcard = allows.filter(
      (a) =>
        list(a.Action).some((x) => typeof x === 'string' && x.includes('*')) ||
        list(a.Resource).some((x) => x === '*'),
    );
    expect(wildcard.map((a) => a.Action)).toEqual(['timestream:DescribeEndpoints', 'timestream:DescribeEndpoints']);
    expect(allows.length).toBeGreaterThan(10);
  });
});

describe('meter IoT policy', () => {
  it('connects as its own thing, publishes telemetry, subscribes to and receives the prediction topic', () => {
    expect(s.json.Resources.MeterPolicy?.Properties).toEqual({
      PolicyName: 'GridSentry-meter',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ConnectAsOwnThing',
            Effect: 'Allow',
            Action: 'iot:Connect',
            Resource: iotArn('client/${iot:Connection.Thing.ThingName}'),
            Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
          },
          { Sid: 'PublishTelemetry', Effect: 'Allow', Action: 'iot:Publish', Resource: iotArn('topic/smartmeter/data') },
          { Sid: 'SubscribePredictions', Effect: 'Allow', Action: 'iot:Subscribe', Resource: iotArn('topicfilter/smartmeter/prediction') },
          { Sid: 'ReceivePredictions', Effect: 'Allow', Action: 'iot:Receive', Resource: iotArn('topic/smartmeter/prediction') },
        ],
      },
    });
  });
});

describe('alarms', () => {
  it.each(['Router', 'Storage', 'Inference'])('%s errors in 5 minutes notify the alarm topic', (fn) => {
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: ref(fn) }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [ref('AlarmTopic')],
    });
  });

  it.each(['RuleErrorsQueue', 'FailedInvocationsQueue'])('a message waiting in %s notifies the alarm topic', (queue) => {
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: getAtt(queue, 'QueueName') }],
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [ref('AlarmTopic')],
    });
  });

  it('subscribes no e-mail unless alarmEmail is given', () => {
    s.template.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});

describe('outputs', () => {
  it('prints what docs/deploy.md uses', () => {
    expect(Object.keys(s.template.toJSON().Outputs).sort()).toEqual([
      'AlarmTopicArn',
      'FailedInvocationsQueueUrl',
      'GrafanaEnvironment',
      'GrafanaReadPolicyArn',
      'MeterPolicyName',
      'PredictionTopic',
      'RuleErrorsQueueUrl',
    ]);
    s.template.hasOutput('PredictionTopic', { Value: 'smartmeter/prediction' });
    s.template.hasOutput('GrafanaEnvironment', {
      Value: {
        'Fn::Join': [
          '',
          [
            'GRIDSENTRY_AWS_REGION=',
            { Ref: 'AWS::Region' },
            ' GRIDSENTRY_TIMESTREAM_DATABASE=SmartMeterDB GRIDSENTRY_TIMESTREAM_TABLE=SmartMeterReadings',
          ],
        ],
      },
    });
  });
});
