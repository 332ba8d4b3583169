import { App, Validations, type Environment } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import type { DeployConfig } from "@/infra/config/deploy-config";
import { STACK_NAMES, type ConsoleBuild } from "@/infra/stacks/contracts";
import { DataStack } from "@/infra/stacks/data-stack";
import { CollectorsStack } from "@/infra/stacks/collectors-stack";
import { ConsoleStack } from "@/infra/stacks/console-stack";
import { ApplyStack } from "@/infra/stacks/apply-stack";
import { MemberAccountStack } from "@/infra/stacks/member-account-stack";

export interface SightlineAppOptions {
  config: DeployConfig;
  consoleBuild: ConsoleBuild;
  /** Where the cloud assembly goes (cdk.out by default, a temp dir in tests). */
  outdir?: string;
  /** The target account; unset synthesizes environment-agnostic templates (no credentials needed). */
  account?: string;
  /** Stacks whose assets are bundled (`["**"]` by default; `[]` in tests that only read templates). */
  bundlingStacks?: string[];
}

export interface SightlineApp {
  app: App;
  data: DataStack;
  collectors: CollectorsStack;
  console: ConsoleStack;
  apply: ApplyStack;
  member: MemberAccountStack;
}

/**
 * The whole CDK app: the four central stacks in SIGHTLINE_REGION and the member-account
 * template, checked by cdk-nag's AwsSolutions rules at synth. The same function serves `cdk synth/deploy` (infra/bin/sightline.ts) and the
 * template tests, so what is tested is what deploys.
 */
export function createSightlineApp(options: SightlineAppOptions): SightlineApp {
  const app = new App({
    outdir: options.outdir,
    // The entry point calls synth() once; tests synthesize through Template.fromStack.
    autoSynth: false,
    context: {
      // CDK's own template checks (CloudFormation's rules) fail synth instead of warning.
      "@aws-cdk/core:validateAgainstDefaultRules": true,
      // Exports between the central stacks stay protected (CloudFormation refuses to remove an
      // export another stack still imports): today's default, stated so it cannot drift.
      "@aws-cdk/core:defaultCrossStackReferences": "strong",
      ...(options.bundlingStacks ? { "aws:cdk:bundling-stacks": options.bundlingStacks } : {}),
    },
  });
  const { config } = options;
  const env: Environment = { account: options.account, region: config.SIGHTLINE_REGION };
  const description = (what: string) => `Sightline (${config.SIGHTLINE_STAGE}): ${what}`;

  const data = new DataStack(app, STACK_NAMES.data, { env, config, description: description("the DynamoDB table") });
  const shared = { config, table: data.table, tableKey: data.tableKey };
  const collectors = new CollectorsStack(app, STACK_NAMES.collectors, { env, ...shared, description: description("collectors, schedules and alarms") });
  const consoleStack = new ConsoleStack(app, STACK_NAMES.console, { env, ...shared, build: options.consoleBuild, description: description("the console on Lambda behind CloudFront") });
  const apply = new ApplyStack(app, STACK_NAMES.apply, { env, config, consoleRole: consoleStack.consoleRole, description: description("the tuning apply role") });
  const member = new MemberAccountStack(app, STACK_NAMES.member, { config, description: description("read-only (and optional apply) role for a member account") });
  // cdk-nag's AwsSolutions rules run on every synth (`cdk synth/deploy` and the template tests):
  // a new finding fails the synth until it is fixed or acknowledged, with its reason, on the
  // construct it concerns (Validations.of(construct).acknowledge in the stack files).
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, data, collectors, console: consoleStack, apply, member };
}
