import { Duration, RemovalPolicy, SecretValue, Stack, Validations } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, Metric, TreatMissingData, } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Schedule, ScheduleExpression, ScheduleTargetInput, ContextAttribute } from "aws-cdk-lib/aws-scheduler";
import { LambdaInvoke } from "aws-cdk-lib/aws-scheduler-targets";
import type { RetentionDays } from "aws-cdk-lib/aws-logs";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import type { DeployConfig } from "@/infra/config/deploy-config";
import { CollectorFunction, maxEventAge } from "@/infra/constructs/collector-function";
import { acknowledgeWildcardResource } from "@/infra/constructs/nag-acknowledgement";
import { METRICS_NAMESPACE, type CollectorsStackProps } from "@/infra/stacks/contracts";
import type { AccountTarget } from "@/lib/config/accounts";
import { cadenceSettingsOf } from "@/lib/config/metrics-cadence";
import { collectorCadenceMinutes } from "@/lib/domain/collection/collector-cadence";
import { MISSED_RUNS_TOLERATED } from "@/lib/domain/collection/collector-health";
import type { CollectorName } from "@/lib/domain/collection/collector-run";
import { ALL_COLLECTORS } from "@/collectors/_runtime/registry";
import { lagAlarmThresholdMinutes } from "@/lib/domain/collection/collector-lag";
import { COLLECTOR_DIMENSION, COLLECTOR_METRIC_NAMES, COLLECTORS_SERVICE_NAME } from "@/collectors/_runtime/lambda-telemetry";

/** The collectors that send webhooks (SLO alerts, budget alerts) and so read the collectors' secret. */
export const WEBHOOK_COLLECTORS: ReadonlySet<CollectorName> = new Set(["slos", "costs"]);

/** Longest time CloudWatch lets an alarm look back: period × evaluation periods. */
const MAX_ALARM_WINDOW_MINUTES = 24 * 60;

/** `SIGHTLINE_ACCOUNTS` written back in its own format: `<id>` or `<id>=<role ARN>`, comma-separated. */
export function formatAccountsSetting(accounts: readonly AccountTarget[]): string {
  return accounts.map((a) => (a.roleArn === null ? a.accountId : `${a.accountId}=${a.roleArn}`)).join(",");
}

/** The secret's name: the operator puts `{"SLO_WEBHOOKS":"slack=https://…"}` into it (docs/collectors.md). */
export function collectorsSecretName(config: DeployConfig): string {
  return `sightline/${config.SIGHTLINE_STAGE}/collectors`;
}

/** `sightline-<stage>-<collector>`. */
export function collectorFunctionName(config: DeployConfig, collector: CollectorName): string {
  return `sightline-${config.SIGHTLINE_STAGE}-${collector}`;
}

/**
 * The collectors on AWS: per collector a function (its own role, log group and alarms), an
 * EventBridge Scheduler schedule at its collectorCadenceMinutes (METRICS_CADENCE_MINUTES for
 * metrics and slos) with a dead-letter queue for
 * events Scheduler could not deliver, and one queue for invocations that failed after Lambda's
 * retries. Alarms go to one SNS topic (an email subscription with SIGHTLINE_ALARM_EMAIL).
 */
export class CollectorsStack extends Stack {
  readonly functions: Record<CollectorName, CollectorFunction>;
  readonly alarmTopic: Topic;
  readonly secret: Secret;

  constructor(scope: Construct, id: string, props: CollectorsStackProps) {
    super(scope, id, props);
    const { config } = props;
    const prod = config.SIGHTLINE_STAGE === "prod";
    const removalPolicy = prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    // Created holding `{}` and never rewritten by CloudFormation (the template's value never
    // changes), so what the operator stores survives every deploy. No secret is in the template.
    this.secret = new Secret(this, "CollectorsSecret", {
      secretName: collectorsSecretName(config),
      description: 'Sightline collectors: a JSON object of environment variables, e.g. {"SLO_WEBHOOKS":"slack=<webhook URL>"} (docs/collectors.md)',
      secretStringValue: SecretValue.unsafePlainText("{}"),
      removalPolicy,
    });
    Validations.of(this.secret).acknowledge({
      id: "AwsSolutions-SMG4",
      reason: "Holds operator-managed values (webhook URLs issued by Slack and the like); only their issuer can rotate them, so Secrets Manager rotation has nothing to generate.",
    });

    // Lambda's onFailure destination: the event and the error of an invocation that failed
    // after its retries, kept 14 days to read or replay. Not alarmed: the errors alarm sees
    // the same failures as they happen.
    const failedInvocations = new Queue(this, "FailedInvocations", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(failedInvocations).acknowledge({
      id: "AwsSolutions-SQS3",
      reason: "This queue is itself a dead-letter destination (Lambda's onFailure for the collectors); a DLQ of a DLQ would only move the same records again.",
    });

    this.alarmTopic = new Topic(this, "AlarmTopic", { displayName: `Sightline (${config.SIGHTLINE_STAGE}) collector alarms`, enforceSSL: true });
    if (config.SIGHTLINE_ALARM_EMAIL) this.alarmTopic.addSubscription(new EmailSubscription(config.SIGHTLINE_ALARM_EMAIL));
    const alarmAction = new SnsAction(this.alarmTopic);

    const schedulerRole = new Role(this, "SchedulerRole", {
      assumedBy: new ServicePrincipal("scheduler.amazonaws.com", { conditions: { StringEquals: { "aws:SourceAccount": this.account } } }),
      description: "EventBridge Scheduler: invokes the Sightline collectors and dead-letters what it cannot deliver",
    });

    const memberRoleArns = config.SIGHTLINE_ACCOUNTS.flatMap((a) => (a.roleArn === null ? [] : [a.roleArn]));
    const environment: Record<string, string> = {
      TABLE_NAME: props.table.tableName,
      SIGHTLINE_ACCOUNTS: formatAccountsSetting(config.SIGHTLINE_ACCOUNTS),
      SIGHTLINE_REGIONS: config.SIGHTLINE_REGIONS.join(","),
      BACKFILL_HOURS: String(config.BACKFILL_HOURS),
      // The slos collector's LagMinutes allows for it (the schedules below are the cadence itself).
      METRICS_CADENCE_MINUTES: String(config.METRICS_CADENCE_MINUTES),
      COST_ALLOCATION_TAG_KEYS: config.COST_ALLOCATION_TAG_KEYS.join(","),
      // Sent with every AssumeRole into a member (only when the members' template requires one).
      ...(config.SIGHTLINE_EXTERNAL_ID ? { SIGHTLINE_EXTERNAL_ID: config.SIGHTLINE_EXTERNAL_ID } : {}),
      ...(config.SIGHTLINE_CONSOLE_DOMAIN ? { SIGHTLINE_CONSOLE_URL: `https://${config.SIGHTLINE_CONSOLE_DOMAIN}` } : {}),
      POWERTOOLS_SERVICE_NAME: COLLECTORS_SERVICE_NAME,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      POWERTOOLS_LOG_LEVEL: "INFO",
      // A run list can be large; traces keep annotations and errors, not the response.
      POWERTOOLS_TRACER_CAPTURE_RESPONSE: "false",
    };

    const cadence = cadenceSettingsOf(config);
    const functions = {} as Record<CollectorName, CollectorFunction>;
    for (const { name } of ALL_COLLECTORS) {
      const cadenceMinutes = collectorCadenceMinutes(name, cadence);
      const collector = new CollectorFunction(this, `Collector-${name}`, {
        collector: name,
        cadenceMinutes,
        functionName: collectorFunctionName(config, name),
        table: props.table,
        tableKey: props.tableKey,
        memberRoleArns,
        environment,
        secret: WEBHOOK_COLLECTORS.has(name) ? this.secret : undefined,
        failedInvocations,
        // The deploy config only accepts the retentions CloudWatch Logs offers, i.e. RetentionDays values.
        logRetention: config.SIGHTLINE_LOG_RETENTION_DAYS as RetentionDays,
        removalPolicy,
      });
      functions[name] = collector;

      const deadLetters = new Queue(this, `DeadLetters-${name}`, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      Validations.of(deadLetters).acknowledge({
        id: "AwsSolutions-SQS3",
        reason: `This queue is itself the dead-letter queue of the ${name} schedule (events EventBridge Scheduler could not deliver); it is alarmed, not re-driven.`,
      });
      new Schedule(this, `Schedule-${name}`, {
        description: `Sightline collector ${name}, every ${cadenceMinutes} min`,
        schedule: ScheduleExpression.rate(Duration.minutes(cadenceMinutes)),
        target: new LambdaInvoke(collector.function, {
          role: schedulerRole,
          // The instant the run collects up to (collectors/_runtime/scheduled-event.ts).
          input: ScheduleTargetInput.fromObject({ time: ContextAttribute.scheduledTime }),
          // Delivery retries (Lambda throttled or unavailable) within one cadence; then the event
          // goes to the dead-letter queue and the next scheduled run resumes from the watermark.
          retryAttempts: 5,
          maxEventAge: maxEventAge(cadenceMinutes),
          deadLetterQueue: deadLetters,
        }),
      });
      // LambdaInvoke grants lambda:InvokeFunction on the function and `<function ARN>:*`.
      acknowledgeWildcardResource(
        schedulerRole,
        `${collector.function.functionArn}:*`,
        `CDK's grantInvoke for the ${name} schedule: \`:*\` only adds the versions and aliases of that one collector function, which the schedule does not use and Sightline does not publish.`,
      );

      this.collectorAlarms(config, name, cadenceMinutes, collector, deadLetters).forEach((alarm) => {
        alarm.addAlarmAction(alarmAction);
        alarm.addOkAction(alarmAction);
      });
    }
    this.functions = functions;
  }

  /**
   * Three alarms per collector:
   * - errors: the function failed (any account/region failed, or the invocation did) in
   *   MISSED_RUNS_TOLERATED consecutive cadence periods — a single failure resumes on the next
   *   run, as the console's tolerance says;
   * - lag: LagMinutes above lagAlarmThresholdMinutes, or missing — a collector that stopped
   *   running is lagging — for as many cadence periods as the threshold spans (capped at one
   *   day of periods: the 6-hour costs collector gets 4 × 6 h);
   * - dead letters: Scheduler could not deliver an event (the function never ran for it).
   */
  private collectorAlarms(config: DeployConfig, name: CollectorName, cadenceMinutes: number, collector: CollectorFunction, deadLetters: Queue): Alarm[] {
    const period = Duration.minutes(cadenceMinutes);
    const prefix = `sightline-${config.SIGHTLINE_STAGE}-${name}`;
    const thresholdMinutes = lagAlarmThresholdMinutes(name, cadenceSettingsOf(config));
    const lagPeriods = Math.max(1, Math.min(Math.ceil(thresholdMinutes / cadenceMinutes), Math.floor(MAX_ALARM_WINDOW_MINUTES / cadenceMinutes)));
    const lag = new Metric({
      namespace: METRICS_NAMESPACE,
      metricName: COLLECTOR_METRIC_NAMES.lagMinutes,
      dimensionsMap: { service: COLLECTORS_SERVICE_NAME, [COLLECTOR_DIMENSION]: name },
      statistic: "Maximum",
      period,
    });
    return [
      new Alarm(this, `Errors-${name}`, {
        alarmName: `${prefix}-errors`,
        alarmDescription: `Collector ${name} failed in ${MISSED_RUNS_TOLERATED} consecutive runs (see its log group and the Collectors page).`,
        metric: collector.function.metricErrors({ period, statistic: "Sum" }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: MISSED_RUNS_TOLERATED,
        datapointsToAlarm: MISSED_RUNS_TOLERATED,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      new Alarm(this, `Lag-${name}`, {
        alarmName: `${prefix}-lag`,
        alarmDescription: `Collector ${name} trails its designed lag by more than ${thresholdMinutes} min, or has stopped publishing (LagMinutes missing).`,
        metric: lag,
        threshold: thresholdMinutes,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: lagPeriods,
        datapointsToAlarm: lagPeriods,
        treatMissingData: TreatMissingData.BREACHING,
      }),
      new Alarm(this, `DeadLetters-${name}-alarm`, {
        alarmName: `${prefix}-dead-letters`,
        alarmDescription: `EventBridge Scheduler could not invoke collector ${name}; the undelivered events are in its dead-letter queue.`,
        metric: deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: "Maximum" }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    ];
  }
}
