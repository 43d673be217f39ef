import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, type GridSentryConfig } from './config.js';
import { GridSentryStack, type LambdaAssetDirs } from './gridsentry-stack.js';

export interface SynthResult {
  config: GridSentryConfig;
  stack: GridSentryStack;
  template: Template;
  /** The template as plain JSON, for walking every resource. */
  json: { Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string }> };
  /** The CloudFormation-validate report the CDK writes during synthesis, when asked for. */
  validation: ValidationReport | undefined;
  /** Removes the temporary asset folders and cloud assembly. */
  cleanup(): void;
}

export interface ValidationReport {
  pluginReports: {
    pluginName: string;
    violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[];
    suppressedViolations?: { ruleName: string; violatingConstructs: { constructPath: string }[] }[];
  }[];
}

/**
 * Synthesizes the stack once with stand-in Lambda assets (a one-line index.mjs and a Dockerfile), as the
 * CDK needs no bundle contents and no Docker engine to produce the template. The CDK's template validation
 * (as `cdk synth` runs it) costs about 6 s the first time in a process, so only one test file asks for it.
 */
export function synthGridSentry(raw: Record<string, unknown> = {}, options: { validate?: boolean } = {}): SynthResult {
  const validate = options.validate ?? false;
  const root = mkdtempSync(join(tmpdir(), 'gridsentry-cdk-'));
  const assets: LambdaAssetDirs = {
    router: join(root, 'router'),
    storage: join(root, 'storage'),
    inference: join(root, 'inference'),
  };
  for (const dir of Object.values(assets)) {
    mkdirSync(dir);
    writeFileSync(join(dir, 'index.mjs'), 'export const handler = async () => ({});\n');
  }
  writeFileSync(
    join(assets.inference, 'Dockerfile'),
    'FROM public.ecr.aws/lambda/nodejs:22\nCOPY index.mjs ${LAMBDA_TASK_ROOT}/\nCMD ["index.handler"]\n',
  );
  const outdir = join(root, 'cdk.out');
  const config = resolveConfig(raw);
  const app = new App({ outdir, builtinCloudFormationValidation: validate });
  const stack = new GridSentryStack(app, config.stackName, { config, assets, env: { region: config.region } });
  const template = Template.fromStack(stack);
  const validation = validate
    ? (JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport)
    : undefined;
  return {
    config,
    stack,
    template,
    json: template.toJSON() as SynthResult['json'],
    validation,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Every statement of every identity policy (inline or managed) attached to the role with this logical id. */
export function statementsOfRole(json: SynthResult['json'], roleLogicalId: string): unknown[] {
  return Object.values(json.Resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .filter((r) => (r.Properties?.Roles as unknown[]).some((ref) => JSON.stringify(ref) === JSON.stringify({ Ref: roleLogicalId })))
    .flatMap((r) => (r.Properties?.PolicyDocument as { Statement: unknown[] }).Statement);
}
