import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { AttributeType, TableEncryptionV2, TableV2 } from "aws-cdk-lib/aws-dynamodb";
import { Key } from "aws-cdk-lib/aws-kms";
import { describe, expect, it } from "vitest";
import { COLLECTOR_PERMISSIONS } from "@/infra/collector-permissions";
import { loadDeployConfig } from "@/infra/config/deploy-config";
import { CollectorsStack } from "@/infra/stacks/collectors-stack";
import { COLLECTOR_ROLE_PATH, METRICS_NAMESPACE, STACK_NAMES } from "@/infra/stacks/contracts";
import { cadenceSettingsOf } from "@/lib/config/metrics-cadence";
import { collectorCadenceMinutes, DEFAULT_CADENCE_SETTINGS } from "@/lib/domain/collection/collector-cadence";
import { COLLECTOR_NAMES, type CollectorName } from "@/lib/domain/collection/collector-run";
import { actionsOf, permissionStatements, type PolicyStatementJson } from "@/tests/support/cdk-app";

/**
 * The Collectors stack's template, synthesized offline without bundling: a function, role,
 * schedule and three alarms per collector; each role holding exactly its row of
 * infra/collector-permissions.ts plus the fixed extras every Lambda function needs.
 */
type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };
type Resources = Record<string, Resource>;

const MEMBER_ROLE = "arn:aws:iam::444455556666:role/SightlineReadOnly";
const OTHER_MEMBER_ROLE = "arn:aws:iam::777788889999:role/ops/SightlineReadOnly";

/** The stack in an app of its own, on a table (and, with `cmk`, a key) from a stand-in data stack. */
function synth(settings: Record<string, string>, options: { cmk?: boolean } = {}) {
  const config = loadDeployConfig(() => undefined, { SIGHTLINE_REGION: "eu-west-1", ...settings });
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), "sightline-collectors-cdk-")),
    context: { "@aws-cdk/core:validateAgainstDefaultRules": true, "aws:cdk:bundling-stacks": [] },
  });
  const env = { region: config.SIGHTLINE_REGION };
  const data = new Stack(app, STACK_NAMES.data, { env });
  const tableKey = options.cmk ? new Key(data, "TableKey", { enableKeyRotation: true }) : undefined;
  const table = new TableV2(data, "Table", {
    partitionKey: { name: "pk", type: AttributeType.STRING },
    sortKey: { name: "sk", type: AttributeType.STRING },
    ...(tableKey ? { encryption: TableEncryptionV2.customerManagedKey(tableKey) } : {}),
  });
  const stack = new CollectorsStack(app, STACK_NAMES.collectors, { env, config, table, tableKey });
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Resources;
  return { config, stack, template, resources, dataResources: Template.fromStack(data).toJSON().Resources as Resources };
}

function ofType(resources: Resources, type: string): [string, Resource][] {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}

/** The collector a function runs, from its entry's name (`sightline-<stage>-<collector>`). */
function collectorOf(functionName: unknown, stage: string): CollectorName {
  const name = String(functionName).replace(`sightline-${stage}-`, "");
  expect(COLLECTOR_NAMES).toContain(name);
  return name as CollectorName;
}

/** Per collector: its function's properties and its role's inline statements. */
function collectorsOf(built: ReturnType<typeof synth>) {
  const out = new Map<CollectorName, { fn: Resource; role: Resource; statements: PolicyStatementJson[] }>();
  for (const [, fn] of ofType(built.resources, "AWS::Lambda::Function")) {
    const roleId = (fn.Properties.Role as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0];
    const role = built.resources[roleId]!;
    const statements = ((role.Properties.Policies as { PolicyDocument: { Statement: PolicyStatementJson[] } }[]) ?? []).flatMap((p) => p.PolicyDocument.Statement);
    out.set(collectorOf(fn.Properties.FunctionName, built.config.SIGHTLINE_STAGE), { fn, role, statements });
  }
  return out;
}

/** What every collector role holds besides its table entry. */
const FIXED_EXTRAS = ["logs:CreateLogStream", "logs:PutLogEvents", "xray:PutTraceSegments", "xray:PutTelemetryRecords", "sqs:SendMessage"];
const WEBHOOK_SENDERS: readonly CollectorName[] = ["slos", "costs"];

function expectedActions(collector: CollectorName, options: { members: boolean; cmk: boolean }): string[] {
  const row = COLLECTOR_PERMISSIONS[collector];
  return [
    ...row.aws,
    ...row.dynamodb,
    ...FIXED_EXTRAS,
    ...(options.members && row.aws.length > 0 ? ["sts:AssumeRole"] : []),
    ...(options.cmk ? ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"] : []),
    ...(WEBHOOK_SENDERS.includes(collector) ? ["secretsmanager:GetSecretValue"] : []),
  ].sort();
}

function resourcesOfAction(statements: PolicyStatementJson[], action: string): unknown[] {
  return statements.filter((s) => actionsOf(s).includes(action)).flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
}

const CONFIGURATIONS = {
  "one account (defaults)": { settings: {}, members: false, cmk: false },
  "two members, a customer-managed key, dev": {
    settings: {
      SIGHTLINE_STAGE: "dev",
      SIGHTLINE_ACCOUNTS: `111122223333,444455556666=${MEMBER_ROLE},777788889999=${OTHER_MEMBER_ROLE}`,
      SIGHTLINE_ALARM_EMAIL: "oncall@example.com",
      SIGHTLINE_LOG_RETENTION_DAYS: "90",
      METRICS_CADENCE_MINUTES: "5",
    },
    members: true,
    cmk: true,
  },
} as const;

describe.each(Object.entries(CONFIGURATIONS))("the Collectors stack with %s", (_label, { settings, members, cmk }) => {
  const built = synth(settings, { cmk });
  const collectors = collectorsOf(built);
  /** Each collector's cadence with this configuration's settings. */
  const cadenceOf = (name: CollectorName) => collectorCadenceMinutes(name, cadenceSettingsOf(built.config));

  it("has one function per collector: arm64, Node 22 or newer, active tracing, handler `handler`", () => {
    expect([...collectors.keys()].sort()).toEqual([...COLLECTOR_NAMES].sort());
    for (const [name, { fn }] of collectors) {
      expect(fn.Properties.Architectures, name).toEqual(["arm64"]);
      expect(Number(/^nodejs(\d+)\.x$/.exec(String(fn.Properties.Runtime))?.[1]), name).toBeGreaterThanOrEqual(22);
      expect(fn.Properties.TracingConfig, name).toEqual({ Mode: "Active" });
      expect(fn.Properties.Handler, name).toBe("index.handler");
    }
  });

  it("configures each function from the deploy settings, serialising the accounts back to their own format", () => {
    for (const [name, { fn }] of collectors) {
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(variables, name).toMatchObject({
        SIGHTLINE_ACCOUNTS: members ? `111122223333,444455556666=${MEMBER_ROLE},777788889999=${OTHER_MEMBER_ROLE}` : "",
        BACKFILL_HOURS: "336",
        COST_ALLOCATION_TAG_KEYS: "team,service,env",
        METRICS_CADENCE_MINUTES: String(built.config.METRICS_CADENCE_MINUTES),
        POWERTOOLS_SERVICE_NAME: "sightline-collectors",
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        NODE_OPTIONS: "--enable-source-maps",
      });
      expect(variables.TABLE_NAME, name).toBeDefined();
      // Only the webhook senders name the secret; no function holds a webhook itself.
      expect("SIGHTLINE_SECRET_IDS" in variables, name).toBe(WEBHOOK_SENDERS.includes(name));
      expect(Object.keys(variables), name).not.toContain("SLO_WEBHOOKS");
    }
    const reparsed = loadDeployConfig(() => undefined, { SIGHTLINE_ACCOUNTS: String((collectors.get("metrics")!.fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.SIGHTLINE_ACCOUNTS) });
    expect(reparsed.SIGHTLINE_ACCOUNTS).toEqual(built.config.SIGHTLINE_ACCOUNTS);
  });

  it("gives each collector role exactly its table entry plus the fixed extras, on path /sightline/collectors/", () => {
    for (const [name, { role, statements }] of collectors) {
      expect(role.Properties.Path, name).toBe(COLLECTOR_ROLE_PATH);
      expect(role.Properties.ManagedPolicyArns, name).toBeUndefined();
      for (const statement of statements) {
        expect(statement.Effect, name).toBe("Allow");
        expect(statement.NotAction, name).toBeUndefined();
        // Only the key statement is conditioned (kms:ViaService).
        if (statement.Condition !== undefined) expect(actionsOf(statement).every((a) => a.startsWith("kms:")), name).toBe(true);
      }
      expect(statements.flatMap(actionsOf).sort(), name).toEqual(expectedActions(name, { members, cmk }));
    }
    // Nothing but the inline policy: CDK's automatic grants found no mutable role to add to.
    const attached = ofType(built.resources, "AWS::IAM::Policy").flatMap(([, p]) => (p.Properties.Roles as { Ref: string }[]).map((r) => r.Ref));
    for (const { fn } of collectors.values()) {
      expect(attached).not.toContain((fn.Properties.Role as { "Fn::GetAtt": [string] })["Fn::GetAtt"][0]);
    }
  });

  it("scopes resources where IAM allows it: the table, its key, Lambda's log groups, functions, its own log group, queue and secret", () => {
    for (const [name, { fn, statements }] of collectors) {
      for (const action of COLLECTOR_PERMISSIONS[name].dynamodb) {
        expect(JSON.stringify(resourcesOfAction(statements, action)), `${name} ${action}`).toMatch(/^\[\{"Fn::ImportValue":"[^"]*Table[^"]*Arn[^"]*"\}\]$/);
      }
      if (cmk) {
        const key = resourcesOfAction(statements, "kms:Decrypt");
        expect(JSON.stringify(key), name).toMatch(/^\[\{"Fn::ImportValue":"[^"]*TableKey[^"]*Arn[^"]*"\}\]$/);
        const keyStatement = statements.find((s) => actionsOf(s).includes("kms:Decrypt"))!;
        expect(keyStatement.Condition, name).toEqual({ StringEquals: { "kms:ViaService": "dynamodb.eu-west-1.amazonaws.com" } });
      }
      if (COLLECTOR_PERMISSIONS[name].aws.includes("logs:StartQuery")) {
        expect(JSON.stringify(resourcesOfAction(statements, "logs:StartQuery")), name).toContain(":logs:*:*:log-group:/aws/lambda/*");
      }
      if (COLLECTOR_PERMISSIONS[name].aws.includes("lambda:ListTags")) {
        expect(JSON.stringify(resourcesOfAction(statements, "lambda:ListTags")), name).toMatch(/:lambda:\*:".*AWS::AccountId.*:function:\*/);
      }
      const logGroupId = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(resourcesOfAction(statements, "logs:PutLogEvents"), name).toEqual([{ "Fn::GetAtt": [logGroupId, "Arn"] }]);
      expect(resourcesOfAction(statements, "sqs:SendMessage"), name).toEqual([{ "Fn::GetAtt": [expect.stringMatching(/^FailedInvocations/), "Arn"] }]);
      if (WEBHOOK_SENDERS.includes(name)) {
        expect(resourcesOfAction(statements, "secretsmanager:GetSecretValue"), name).toEqual([{ Ref: expect.stringMatching(/^CollectorsSecret/) }]);
      }
    }
  });

  it(members ? "lets only the collectors that read watched accounts assume exactly the member roles" : "grants no sts:AssumeRole without member accounts", () => {
    for (const [name, { statements }] of collectors) {
      const assumable = resourcesOfAction(statements, "sts:AssumeRole");
      const reads = COLLECTOR_PERMISSIONS[name].aws.length > 0;
      expect(assumable.sort(), name).toEqual(members && reads ? [MEMBER_ROLE, OTHER_MEMBER_ROLE].sort() : []);
    }
  });

  it("grants no wildcard action: identity policies allow named actions only, resource policies use wildcards only to deny plain HTTP", () => {
    const offenders: string[] = [];
    for (const { resource, statement } of permissionStatements(built.template)) {
      if (statement.NotAction !== undefined) offenders.push(`${resource}: NotAction`);
      for (const action of actionsOf(statement)) if (action === "*" || /:\*$/.test(action)) offenders.push(`${resource}: ${action}`);
    }
    expect(offenders).toEqual([]);
    for (const type of ["AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy"]) {
      for (const [id, policy] of ofType(built.resources, type)) {
        for (const statement of (policy.Properties.PolicyDocument as { Statement: PolicyStatementJson[] }).Statement) {
          if (actionsOf(statement).some((a) => a === "*" || a.endsWith(":*"))) {
            expect(statement, id).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
          }
        }
      }
    }
  });

  it("schedules every collector at its configured cadence with the scheduled time, retries and a dead-letter queue", () => {
    const schedules = ofType(built.resources, "AWS::Scheduler::Schedule");
    expect(schedules).toHaveLength(COLLECTOR_NAMES.length);
    const scheduled = new Map<CollectorName, number>();
    for (const [, schedule] of schedules) {
      const target = schedule.Properties.Target as { Arn: { "Fn::GetAtt": [string] }; Input: string; RetryPolicy: Record<string, number>; DeadLetterConfig: { Arn: { "Fn::GetAtt": [string] } } };
      const fn = built.resources[target.Arn["Fn::GetAtt"][0]]!;
      const name = collectorOf(fn.Properties.FunctionName, built.config.SIGHTLINE_STAGE);
      const rate = /^rate\((\d+) (minute|minutes|hour|hours)\)$/.exec(String(schedule.Properties.ScheduleExpression));
      expect(rate, name).not.toBeNull();
      scheduled.set(name, Number(rate![1]) * (rate![2]!.startsWith("hour") ? 60 : 1));
      expect(JSON.parse(target.Input), name).toEqual({ time: "<aws.scheduler.scheduled-time>" });
      expect(target.RetryPolicy.MaximumRetryAttempts, name).toBeGreaterThan(0);
      expect(target.RetryPolicy.MaximumEventAgeInSeconds, name).toBe(Math.max(60, cadenceOf(name) * 60));
      const dlq = built.resources[target.DeadLetterConfig.Arn["Fn::GetAtt"][0]]!;
      expect(dlq.Type).toBe("AWS::SQS::Queue");
      expect(dlq.Properties, name).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    }
    expect(Object.fromEntries(scheduled)).toEqual(Object.fromEntries(COLLECTOR_NAMES.map((name) => [name, cadenceOf(name)])));
  });

  it("sends a failed asynchronous invocation to an encrypted 14-day queue, retrying only the 6-hour collector", () => {
    const configs = ofType(built.resources, "AWS::Lambda::EventInvokeConfig");
    expect(configs).toHaveLength(COLLECTOR_NAMES.length);
    for (const [, config] of configs) {
      const fnId = (config.Properties.FunctionName as { Ref: string }).Ref;
      const name = collectorOf(built.resources[fnId]!.Properties.FunctionName, built.config.SIGHTLINE_STAGE);
      expect(config.Properties.MaximumRetryAttempts, name).toBe(name === "costs" ? 2 : 0);
      const destination = (config.Properties.DestinationConfig as { OnFailure: { Destination: { "Fn::GetAtt": [string] } } }).OnFailure.Destination["Fn::GetAtt"][0];
      expect(built.resources[destination]!.Properties, name).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    }
  });

  it("alarms per collector on errors, on lag (missing data breaching, at most a day of periods) and on dead letters, into one topic", () => {
    const alarms = ofType(built.resources, "AWS::CloudWatch::Alarm").map(([, a]) => a.Properties);
    const topics = ofType(built.resources, "AWS::SNS::Topic");
    expect(topics).toHaveLength(1);
    const topicRef = { Ref: topics[0]![0] };
    for (const name of COLLECTOR_NAMES) {
      const mine = alarms.filter((a) => String(a.AlarmName).startsWith(`sightline-${built.config.SIGHTLINE_STAGE}-${name}-`));
      expect(mine.map((a) => String(a.AlarmName).split("-").pop()).sort(), name).toEqual(["errors", "lag", "letters"]);
      for (const alarm of mine) expect(alarm.AlarmActions, name).toEqual([topicRef]);
      const errors = mine.find((a) => String(a.AlarmName).endsWith("-errors"))!;
      expect(errors).toMatchObject({ Namespace: "AWS/Lambda", MetricName: "Errors", Statistic: "Sum", TreatMissingData: "notBreaching" });
      const lag = mine.find((a) => String(a.AlarmName).endsWith("-lag"))!;
      expect(lag).toMatchObject({ Namespace: METRICS_NAMESPACE, MetricName: "LagMinutes", Statistic: "Maximum", TreatMissingData: "breaching", ComparisonOperator: "GreaterThanThreshold" });
      expect(lag.Dimensions).toEqual(expect.arrayContaining([{ Name: "Collector", Value: name }, { Name: "service", Value: "sightline-collectors" }]));
      expect(Number(lag.Period) * Number(lag.EvaluationPeriods), name).toBeLessThanOrEqual(86_400);
      expect(Number(lag.Period), name).toBe(cadenceOf(name) * 60);
      expect(Number(lag.Threshold), name).toBe(3 * cadenceOf(name) + 5);
      expect(Number(errors.Period), name).toBe(cadenceOf(name) * 60);
      const dead = mine.find((a) => String(a.AlarmName).endsWith("-letters"))!;
      expect(dead).toMatchObject({ Namespace: "AWS/SQS", MetricName: "ApproximateNumberOfMessagesVisible", Threshold: 0, ComparisonOperator: "GreaterThanThreshold" });
    }
    const subscriptions = ofType(built.resources, "AWS::SNS::Subscription").map(([, s]) => s.Properties);
    expect(subscriptions).toEqual(members ? [expect.objectContaining({ Protocol: "email", Endpoint: "oncall@example.com" })] : []);
  });

  it("keeps logs for the configured days, retained in prod and deleted with a dev stack", () => {
    const logGroups = ofType(built.resources, "AWS::Logs::LogGroup");
    expect(logGroups).toHaveLength(COLLECTOR_NAMES.length);
    for (const [id, group] of logGroups) {
      expect(group.Properties.RetentionInDays, id).toBe(built.config.SIGHTLINE_LOG_RETENTION_DAYS);
      expect(group.DeletionPolicy, id).toBe(built.config.SIGHTLINE_STAGE === "prod" ? "Retain" : "Delete");
      expect(String(group.Properties.LogGroupName), id).toMatch(new RegExp(`^/aws/lambda/sightline-${built.config.SIGHTLINE_STAGE}-`));
    }
  });

  it("creates the collectors' secret empty — no secret value in the template", () => {
    const secrets = ofType(built.resources, "AWS::SecretsManager::Secret");
    expect(secrets).toHaveLength(1);
    expect(secrets[0]![1].Properties).toMatchObject({ Name: `sightline/${built.config.SIGHTLINE_STAGE}/collectors`, SecretString: "{}" });
    expect(JSON.stringify(built.template.toJSON())).not.toMatch(/hooks\.slack\.com|https:\/\/[^"]*webhook/i);
  });
});

describe("the Collectors stack with SIGHTLINE_EXTERNAL_ID", () => {
  const variablesOf = (built: ReturnType<typeof synth>) =>
    [...collectorsOf(built)].map(([name, { fn }]) => [name, (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables] as const);

  it("hands the member roles' external id to every collector, which sends it with each AssumeRole", () => {
    const built = synth({ SIGHTLINE_ACCOUNTS: `111122223333,444455556666=${MEMBER_ROLE}`, SIGHTLINE_EXTERNAL_ID: "sightline-7f3a:prod" });
    const variables = variablesOf(built);
    expect(variables.map(([name]) => name).sort()).toEqual([...COLLECTOR_NAMES].sort());
    for (const [name, vars] of variables) expect(vars.SIGHTLINE_EXTERNAL_ID, name).toBe("sightline-7f3a:prod");
  });

  it("sets no SIGHTLINE_EXTERNAL_ID variable when the setting is unset or empty", () => {
    for (const settings of [{}, { SIGHTLINE_EXTERNAL_ID: "" }] as Record<string, string>[]) {
      for (const [name, vars] of variablesOf(synth(settings))) expect(Object.keys(vars), name).not.toContain("SIGHTLINE_EXTERNAL_ID");
    }
  });
});

describe("the Collectors stack with METRICS_CADENCE_MINUTES", () => {
  /** Per collector: its schedule expression and its lag alarm, from one synthesized template. */
  function scheduleAndLag(settings: Record<string, string>) {
    const built = synth(settings);
    const out = new Map<CollectorName, { expression: string; lag: Record<string, unknown>; description: string }>();
    const alarms = ofType(built.resources, "AWS::CloudWatch::Alarm").map(([, a]) => a.Properties);
    for (const [, schedule] of ofType(built.resources, "AWS::Scheduler::Schedule")) {
      const target = schedule.Properties.Target as { Arn: { "Fn::GetAtt": [string] } };
      const fn = built.resources[target.Arn["Fn::GetAtt"][0]]!;
      const name = collectorOf(fn.Properties.FunctionName, built.config.SIGHTLINE_STAGE);
      const lag = alarms.find((a) => a.AlarmName === `sightline-${built.config.SIGHTLINE_STAGE}-${name}-lag`)!;
      out.set(name, { expression: String(schedule.Properties.ScheduleExpression), lag, description: String(fn.Properties.Description) });
    }
    return out;
  }

  it("15: metrics and the SLO evaluator every 15 minutes, their lag alarms at 3 × 15 + 5 = 50 minutes over 4 periods; the rest unchanged", () => {
    const every15 = scheduleAndLag({ METRICS_CADENCE_MINUTES: "15" });
    for (const name of ["metrics", "slos"] as const) {
      const { expression, lag, description } = every15.get(name)!;
      expect(expression, name).toBe("rate(15 minutes)");
      expect(lag, name).toMatchObject({ Period: 900, Threshold: 50, EvaluationPeriods: 4, DatapointsToAlarm: 4 });
      expect(description, name).toBe(`Sightline collector: ${name} (every 15 min)`);
    }
    expect(every15.get("inventory")!.expression).toBe("rate(5 minutes)");
    expect(every15.get("inventory")!.lag).toMatchObject({ Period: 300, Threshold: 20 });
    expect(every15.get("costs")!.expression).toBe("rate(6 hours)");
  });

  it("unset: metrics and the SLO evaluator every minute, lag alarms at 8 minutes over 8 periods, as before the setting", () => {
    expect(DEFAULT_CADENCE_SETTINGS.metricsCadenceMinutes).toBe(1);
    const byDefault = scheduleAndLag({});
    for (const name of ["metrics", "slos"] as const) {
      expect(byDefault.get(name)!.expression, name).toBe("rate(1 minute)");
      expect(byDefault.get(name)!.lag, name).toMatchObject({ Period: 60, Threshold: 8, EvaluationPeriods: 8 });
    }
  });

  it("refuses a cadence that is not offered, naming the setting", () => {
    expect(() => synth({ METRICS_CADENCE_MINUTES: "30" })).toThrow(/METRICS_CADENCE_MINUTES: must be one of 1, 2, 5, 10, 15/);
  });
});
