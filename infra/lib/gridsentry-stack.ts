import { Aws, CfnOutput, Duration, RemovalPolicy, SecretValue, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as iot from 'aws-cdk-lib/aws-iot';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as timestream from 'aws-cdk-lib/aws-timestream';
import type { Construct } from 'constructs';
import type { GridSentryConfig } from './config.js';
import { meterPolicyDocument } from './meter-policy.js';
import { READINGS_SQL, predictionsSql, topicPlan } from './topics.js';

/** Folders holding what `npm run build:lambdas` produces. */
export interface LambdaAssetDirs {
  /** Contains `index.mjs` (esbuild bundle of lambdas/router/handler.ts). */
  router: string;
  /** Contains `index.mjs` (esbuild bundle of lambdas/storage/handler.ts). */
  storage: string;
  /** Docker build context: `Dockerfile`, the bundled handler and `models/`. */
  inference: string;
}

export interface GridSentryStackProps extends StackProps {
  config: GridSentryConfig;
  assets: LambdaAssetDirs;
}

/** Acknowledged CloudFormation-validate finding: Timestream for LiveAnalytics is in maintenance mode. */
export const TIMESTREAM_MAINTENANCE_RULE = 'CloudFormation-Validate::W3697';

/** IoT rule names allow only letters, digits and underscores. */
export const RULE_PREFIX = 'gridsentry_';

const LOG_RETENTION = logs.RetentionDays.ONE_MONTH;

/**
 * The whole cloud side of GridSentry: readings arrive on `smartmeter/data`; one rule sends them to the router
 * (hot path: inference, prediction back to the meter), one to storage (cold path: Timestream or InfluxDB);
 * predictions are stored too. Nothing is dropped silently: a rule that cannot invoke its function writes the
 * message to the rule-errors queue, and an invocation that fails after Lambda's retries lands, with its
 * event, in the failed-invocations queue (IoT invokes Lambda asynchronously, so a function error never
 * reaches the rule's error action). Both queues and every function's errors raise alarms.
 */
export class GridSentryStack extends Stack {
  readonly routerFunction: lambda.Function;
  readonly storageFunction: lambda.Function;
  readonly inferenceFunction: lambda.DockerImageFunction;

  constructor(scope: Construct, id: string, props: GridSentryStackProps) {
    super(scope, id, props);
    const { config: c, assets } = props;
    const topics = topicPlan(c.topicLayout);
    const iotArn = `arn:${Aws.PARTITION}:iot:${Aws.REGION}:${Aws.ACCOUNT_ID}`;

    // Dead letters. SQS-managed encryption needs no KMS grants for IoT or Lambda to send.
    const queueProps: sqs.QueueProps = {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    };
    const ruleErrors = new sqs.Queue(this, 'RuleErrorsQueue', { ...queueProps, queueName: 'gridsentry-rule-errors' });
    const failedInvocations = new sqs.Queue(this, 'FailedInvocationsQueue', {
      ...queueProps,
      queueName: 'gridsentry-failed-invocations',
    });

    // Lambda sends a failed asynchronous event to this queue with the execution role; SqsDestination would
    // also grant sqs:GetQueueAttributes and sqs:GetQueueUrl, which sending does not need.
    const failureDestination: lambda.IDestination = {
      bind: (_scope, fn) => {
        fn.addToRolePolicy(
          new iam.PolicyStatement({ sid: 'SendFailedEvents', actions: ['sqs:SendMessage'], resources: [failedInvocations.queueArn] }),
        );
        return { destination: failedInvocations.queueArn };
      },
    };

    // Timestream for LiveAnalytics (sink=timestream).
    let table: timestream.CfnTable | undefined;
    if (c.sink === 'timestream') {
      const database = new timestream.CfnDatabase(this, 'Database', { databaseName: c.databaseName });
      table = new timestream.CfnTable(this, 'Table', {
        databaseName: database.ref,
        tableName: c.tableName,
        // A JSON-typed property: CloudFormation wants these PascalCase keys as strings.
        retentionProperties: {
          MemoryStoreRetentionPeriodInHours: String(c.memoryRetentionHours),
          MagneticStoreRetentionPeriodInDays: String(c.magneticRetentionDays),
        },
      });
      // Readings outlive the stack: `cdk destroy` leaves the database and table in place.
      database.applyRemovalPolicy(RemovalPolicy.RETAIN);
      table.applyRemovalPolicy(RemovalPolicy.RETAIN);
      for (const resource of [database, table]) {
        Validations.of(resource).acknowledge({
          id: TIMESTREAM_MAINTENANCE_RULE,
          reason:
            'Timestream for LiveAnalytics is in maintenance mode since 2025-06-20 (closed to new customers). ' +
            'It stays the default because the seed and existing accounts use it; new accounts deploy with ' +
            '-c sink=influxdb (see docs/deploy.md).',
        });
      }
    }

    // Inference: the container image staged by `npm run build:lambdas` (model artifacts inside).
    const inferenceLogs = this.logGroup('InferenceLogs', c.inferenceFunctionName);
    const inferenceRole = this.executionRole('InferenceRole', inferenceLogs, 'Runs the SVM inference container');
    this.inferenceFunction = new lambda.DockerImageFunction(this, 'Inference', {
      functionName: c.inferenceFunctionName,
      description: 'Power-theft SVM: scores one reading or a batch (invoked synchronously by the router)',
      code: lambda.DockerImageCode.fromImageAsset(assets.inference, { platform: Platform.LINUX_AMD64 }),
      architecture: lambda.Architecture.X86_64,
      memorySize: 512,
      timeout: Duration.seconds(10),
      role: inferenceRole,
      logGroup: inferenceLogs,
    });

    // Router (hot path). A late prediction is worthless to the meter and storage keeps the reading,
    // so the router is not retried; a failed event still lands in the failed-invocations queue.
    const routerLogs = this.logGroup('RouterLogs', c.routerFunctionName);
    const routerRole = this.executionRole('RouterRole', routerLogs, 'Routes readings to inference and publishes predictions');
    this.routerFunction = new lambda.Function(this, 'Router', {
      functionName: c.routerFunctionName,
      description: 'Validates a reading, invokes the inference function, publishes the prediction to the meter',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.X86_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(assets.router),
      memorySize: 256,
      timeout: Duration.seconds(10),
      role: routerRole,
      logGroup: routerLogs,
      environment: {
        INFERENCE_FUNCTION_NAME: this.inferenceFunction.functionName,
        PREDICTION_TOPIC: topics.routerPredictionTopic,
      },
      retryAttempts: 0,
      maxEventAge: Duration.minutes(1),
      onFailure: failureDestination,
    });
    routerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'InvokeInferenceOnly',
        actions: ['lambda:InvokeFunction'],
        resources: [this.inferenceFunction.functionArn],
      }),
    );
    routerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PublishPredictionsOnly',
        actions: ['iot:Publish'],
        resources: [`${iotArn}:topic/${topics.routerPublishResource}`],
      }),
    );

    // Storage (cold path). Retried by Lambda (twice, for up to 6 h), then parked with its event.
    const storageLogs = this.logGroup('StorageLogs', c.storageFunctionName);
    const storageRole = this.executionRole('StorageRole', storageLogs, 'Writes readings and predictions to the time-series store');
    this.storageFunction = new lambda.Function(this, 'Storage', {
      functionName: c.storageFunctionName,
      description: `Stores readings and predictions in ${c.sink === 'timestream' ? 'Amazon Timestream' : 'InfluxDB'}`,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.X86_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(assets.storage),
      memorySize: 256,
      timeout: Duration.seconds(30),
      role: storageRole,
      logGroup: storageLogs,
      environment: this.storageEnvironment(c, table),
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: failureDestination,
    });
    if (table) {
      storageRole.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'WriteReadingsTable',
          actions: ['timestream:WriteRecords'],
          resources: [table.attrArn],
        }),
      );
      storageRole.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'TimestreamEndpointDiscovery',
          actions: ['timestream:DescribeEndpoints'],
          // DescribeEndpoints supports no resource-level permissions: AWS requires Resource "*" for it,
          // and the SDK calls it before every WriteRecords endpoint (cell) lookup.
          resources: ['*'],
        }),
      );
    }

    // Topic rules, each with an error action so that a message the rule cannot deliver is kept.
    const ruleRole = new iam.Role(this, 'TopicRuleErrorRole', {
      assumedBy: new iam.ServicePrincipal('iot.amazonaws.com', {
        // Only this account's GridSentry rules may use the role (confused-deputy protection).
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': `${iotArn}:rule/${RULE_PREFIX}*` },
        },
      }),
      description: 'Lets the GridSentry topic rules write undeliverable messages to the rule-errors queue',
    });
    ruleRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SendRuleErrors',
        actions: ['sqs:SendMessage'],
        resources: [ruleErrors.queueArn],
      }),
    );
    const rules = [
      { id: 'ReadingsToRouter', name: `${RULE_PREFIX}readings_to_router`, sql: READINGS_SQL, target: this.routerFunction },
      { id: 'ReadingsToStorage', name: `${RULE_PREFIX}readings_to_storage`, sql: READINGS_SQL, target: this.storageFunction },
      {
        id: 'PredictionsToStorage',
        name: `${RULE_PREFIX}predictions_to_storage`,
        sql: predictionsSql(c.topicLayout),
        target: this.storageFunction,
      },
    ];
    for (const rule of rules) {
      const topicRule = new iot.CfnTopicRule(this, rule.id, {
        ruleName: rule.name,
        topicRulePayload: {
          sql: rule.sql,
          awsIotSqlVersion: '2016-03-23',
          ruleDisabled: false,
          actions: [{ lambda: { functionArn: rule.target.functionArn } }],
          errorAction: { sqs: { queueUrl: ruleErrors.queueUrl, roleArn: ruleRole.roleArn, useBase64: false } },
        },
      });
      rule.target.addPermission(`Invoke${rule.id}`, {
        principal: new iam.ServicePrincipal('iot.amazonaws.com'),
        action: 'lambda:InvokeFunction',
        sourceArn: topicRule.attrArn,
        sourceAccount: Aws.ACCOUNT_ID,
      });
    }

    // Meters.
    const meterPolicy = new iot.CfnPolicy(this, 'MeterPolicy', {
      policyName: `${c.stackName}-meter`,
      policyDocument: meterPolicyDocument(iotArn, c.topicLayout),
    });

    // Alarms.
    const alarmTopic = new sns.Topic(this, 'AlarmTopic', { displayName: 'GridSentry alarms', enforceSSL: true });
    if (c.alarmEmail) alarmTopic.addSubscription(new subscriptions.EmailSubscription(c.alarmEmail));
    const notify = new cloudwatchActions.SnsAction(alarmTopic);
    const functions: [string, lambda.IFunction][] = [
      ['Router', this.routerFunction],
      ['Storage', this.storageFunction],
      ['Inference', this.inferenceFunction],
    ];
    for (const [name, fn] of functions) {
      const alarm = new cloudwatch.Alarm(this, `${name}ErrorsAlarm`, {
        alarmDescription: `${name} function reported errors`,
        metric: fn.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(notify);
    }
    const queues: [string, sqs.Queue][] = [
      ['RuleErrors', ruleErrors],
      ['FailedInvocations', failedInvocations],
    ];
    for (const [name, queue] of queues) {
      const alarm = new cloudwatch.Alarm(this, `${name}QueueAlarm`, {
        alarmDescription: `Messages waiting in ${name} dead-letter queue: readings or predictions were not processed`,
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(notify);
    }

    // Read access for Grafana's Timestream data source (attach to the identity Grafana runs as).
    if (table) {
      const grafanaRead = new iam.ManagedPolicy(this, 'GrafanaReadPolicy', {
        description: 'Read-only access to the GridSentry readings table for the Grafana Timestream data source',
        statements: [
          new iam.PolicyStatement({
            sid: 'QueryReadingsTable',
            actions: ['timestream:Select', 'timestream:DescribeTable', 'timestream:ListMeasures'],
            resources: [table.attrArn],
          }),
          new iam.PolicyStatement({
            sid: 'TimestreamEndpointDiscovery',
            actions: ['timestream:DescribeEndpoints'],
            // AWS requires Resource "*" for DescribeEndpoints (no resource-level permissions).
            resources: ['*'],
          }),
        ],
      });
      new CfnOutput(this, 'GrafanaReadPolicyArn', { value: grafanaRead.managedPolicyArn });
      new CfnOutput(this, 'GrafanaEnvironment', {
        description: 'Environment for the Grafana provisioning files in infra/grafana',
        value: [
          `GRIDSENTRY_AWS_REGION=${Aws.REGION}`,
          `GRIDSENTRY_TIMESTREAM_DATABASE=${c.databaseName}`,
          `GRIDSENTRY_TIMESTREAM_TABLE=${c.tableName}`,
        ].join(' '),
      });
    }

    new CfnOutput(this, 'MeterPolicyName', { value: meterPolicy.ref });
    new CfnOutput(this, 'PredictionTopic', { value: topics.routerPredictionTopic });
    new CfnOutput(this, 'RuleErrorsQueueUrl', { value: ruleErrors.queueUrl });
    new CfnOutput(this, 'FailedInvocationsQueueUrl', { value: failedInvocations.queueUrl });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarmTopic.topicArn });
  }

  /** The function's log group, created here so that the role can be limited to it and retention is set. */
  private logGroup(id: string, functionName: string): logs.LogGroup {
    return new logs.LogGroup(this, id, {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }

  /**
   * An execution role with no managed policies: AWSLambdaBasicExecutionRole would allow writing to every
   * log group (`Resource: *`), this one only to the function's own.
   */
  private executionRole(id: string, logGroup: logs.LogGroup, description: string): iam.Role {
    const role = new iam.Role(this, id, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description,
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    return role;
  }

  private storageEnvironment(c: GridSentryConfig, table: timestream.CfnTable | undefined): Record<string, string> {
    if (table) {
      return {
        SINK: 'timestream',
        TIMESTREAM_DATABASE: c.databaseName,
        TIMESTREAM_TABLE: table.attrName,
        // Storage refuses readings older than the memory store accepts, naming the timestamp.
        MEMORY_STORE_RETENTION_HOURS: String(c.memoryRetentionHours),
      };
    }
    const influx = c.influx;
    if (!influx) throw new Error('sink=influxdb without InfluxDB settings (resolveConfig should have refused it)');
    return {
      SINK: 'influxdb',
      INFLUX_URL: influx.url,
      ...(influx.org !== undefined ? { INFLUX_ORG: influx.org } : {}),
      ...(influx.bucket !== undefined ? { INFLUX_BUCKET: influx.bucket } : {}),
      ...(influx.database !== undefined ? { INFLUX_DATABASE: influx.database } : {}),
      // A dynamic reference: CloudFormation resolves it at deploy time, so the token is not in the template.
      ...(influx.tokenSecret !== undefined
        ? { INFLUX_TOKEN: SecretValue.secretsManager(influx.tokenSecret).unsafeUnwrap() }
        : {}),
    };
  }
}
