import { formatMicroUsd } from "@/lib/domain/cost/cost-export";
import { MICRO_USD_PER_USD, type MicroUsd } from "@/lib/domain/cost/micro-usd";
import { parseBucketId, type BudgetAlert } from "@/lib/domain/cost/cost-types";
import {
  HEADER_MAX_CHARS,
  SECTION_MAX_CHARS,
  escapeMrkdwn,
  mrkdwnField,
  truncate,
  type SlackBlock,
  type SlackMessage,
  type SlackText,
} from "@/lib/domain/slo/alert-notification";

/**
 * The payloads a budget alert is delivered as, through the same webhooks as SLO alerts
 * (SLO_WEBHOOKS): a versioned JSON document for generic receivers and a Slack incoming-webhook
 * message. Pure: the adapter posts them.
 *
 * Money: the JSON carries every amount twice — integer micro-USD (`…MicroUsd`, for machines)
 * and the exact decimal (`…Usd`, six decimals, formatMicroUsd). People read dollars and cents
 * (formatBudgetUsd), rounded half away from zero with integer arithmetic only.
 */

export const BUDGET_WEBHOOK_SCHEMA = "sightline.budget-alert/v1";

export interface BudgetNotificationContext {
  /** The console's base URL (e.g. https://sightline.example.com); null when none is configured. */
  consoleUrl: string | null;
}

/** The JSON document posted to `json` webhooks. Additive changes keep v1; anything else is v2. */
export interface BudgetWebhookDocument {
  schema: typeof BUDGET_WEBHOOK_SCHEMA;
  /** `actual`: month-to-date cost reached the threshold; `forecast`: the month-end forecast did. */
  kind: "actual" | "forecast";
  /** Stable per budget, month, kind and threshold: `sightline:budget:<alert key>`. */
  dedupKey: string;
  /** One line for receivers that show only a title. */
  summary: string;
  /** `tag:team`, `service`. */
  groupBy: string;
  /** The bucket id (`value:payments`, `unallocated`, `idle`) and how people call it. */
  bucket: string;
  bucketLabel: string;
  /** `2026-11`: the budget month (UTC). */
  month: string;
  /** ISO 8601 UTC start of the month. */
  monthStart: string;
  /** The threshold reached, as a share of the limit (0.8 = 80 %). */
  thresholdRatio: number;
  limitMicroUsd: MicroUsd;
  actualMicroUsd: MicroUsd;
  forecastMicroUsd: MicroUsd;
  /** Exact decimals of the amounts above ("1200.000000"). */
  limitUsd: string;
  actualUsd: string;
  forecastUsd: string;
  /** The bucket on the costs page; null when no console URL is configured. */
  url: string | null;
}

// Block Kit limits: header text 150 characters, section text 3,000, each field 2,000.

/** The dedup key receivers see for an alert (the alert's own key, namespaced). */
export function budgetDedupKey(alert: Pick<BudgetAlert, "key">): string {
  return `sightline:budget:${alert.key}`;
}

/**
 * The bucket on the costs page: `<consoleUrl>/costs?groupBy=<groupBy>&bucket=<bucket>`, both
 * URL-encoded; null without a console URL.
 */
export function budgetConsoleUrl(consoleUrl: string | null, groupBy: string, bucket: string): string | null {
  if (consoleUrl === null || consoleUrl.trim() === "") return null;
  const query = new URLSearchParams({ groupBy, bucket }).toString();
  return `${consoleUrl.trim().replace(/\/+$/, "")}/costs?${query}`;
}

/**
 * Dollars and cents for people: "$1,200.00", "-$0.01", "$0.00". Rounded to the cent half
 * away from zero with integer arithmetic (5,000 µUSD → "$0.01"), thousands separated by
 * commas. Exact amounts are in the JSON's `…Usd` fields.
 */
export function formatBudgetUsd(microUsd: MicroUsd): string {
  if (!Number.isSafeInteger(microUsd)) throw new RangeError(`formatBudgetUsd: ${microUsd} is not a whole number of micro-USD`);
  const microPerCent = MICRO_USD_PER_USD / 100;
  const cents = Math.floor((Math.abs(microUsd) + microPerCent / 2) / microPerCent);
  const dollars = String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const sign = microUsd < 0 && cents > 0 ? "-" : "";
  return `${sign}$${dollars}.${String(cents % 100).padStart(2, "0")}`;
}

/** "80 %", "100 %", "87.5 %": a threshold ratio as people read it. */
export function formatThresholdPercent(ratio: number): string {
  return `${Math.round(ratio * 1000) / 10} %`;
}

/** How people call a bucket of a grouping: "team payments", "service AWS Lambda", "unallocated (team)", "idle provisioned concurrency". */
export function describeBudgetBucket(groupBy: string, bucket: string): string {
  const parsed = parseBucketId(bucket);
  const dimension = groupBy.startsWith("tag:") ? groupBy.slice(4) : groupBy;
  if (parsed === null) return `${dimension} ${bucket}`;
  if (parsed.kind === "value") return `${dimension} ${parsed.value}`;
  if (parsed.kind === "idle") return "idle provisioned concurrency";
  return `unallocated (${dimension})`;
}

/** `2026-11` of the budget month. */
function monthKey(monthStartMs: number): string {
  return new Date(monthStartMs).toISOString().slice(0, 7);
}

function summaryLine(alert: BudgetAlert): string {
  const who = describeBudgetBucket(alert.budget.groupBy, alert.budget.bucket);
  const limit = formatBudgetUsd(alert.budget.monthlyMicroUsd);
  const month = monthKey(alert.monthStartMs);
  const threshold = formatThresholdPercent(alert.threshold);
  return alert.kind === "actual"
    ? `Budget ${threshold} reached: ${who} has spent ${formatBudgetUsd(alert.actualMicroUsd)} of its ${limit} budget for ${month}`
    : `Budget ${threshold} forecast: ${who} is forecast to spend ${formatBudgetUsd(alert.forecastMicroUsd)} of its ${limit} budget for ${month} (${formatBudgetUsd(alert.actualMicroUsd)} so far)`;
}

/** Builds the `sightline.budget-alert/v1` JSON document for one alert. */
export function toBudgetWebhookJson(alert: BudgetAlert, context: BudgetNotificationContext): BudgetWebhookDocument {
  const { budget } = alert;
  return {
    schema: BUDGET_WEBHOOK_SCHEMA,
    kind: alert.kind,
    dedupKey: budgetDedupKey(alert),
    summary: summaryLine(alert),
    groupBy: budget.groupBy,
    bucket: budget.bucket,
    bucketLabel: describeBudgetBucket(budget.groupBy, budget.bucket),
    month: monthKey(alert.monthStartMs),
    monthStart: new Date(alert.monthStartMs).toISOString(),
    thresholdRatio: alert.threshold,
    limitMicroUsd: budget.monthlyMicroUsd,
    actualMicroUsd: alert.actualMicroUsd,
    forecastMicroUsd: alert.forecastMicroUsd,
    limitUsd: formatMicroUsd(budget.monthlyMicroUsd),
    actualUsd: formatMicroUsd(alert.actualMicroUsd),
    forecastUsd: formatMicroUsd(alert.forecastMicroUsd),
    url: budgetConsoleUrl(context.consoleUrl, budget.groupBy, budget.bucket),
  };
}

/**
 * Builds the Slack message for one alert: a header, a lead sentence with an optional link to
 * the bucket on the costs page, fields (budget, spent, forecast, shares of the limit) and a
 * context line with the dedup key. Tag values are escaped, so a team called "<!channel>"
 * cannot ping a channel.
 */
export function toBudgetSlackMessage(alert: BudgetAlert, context: BudgetNotificationContext): SlackMessage {
  const { budget } = alert;
  const who = describeBudgetBucket(budget.groupBy, budget.bucket);
  const url = budgetConsoleUrl(context.consoleUrl, budget.groupBy, budget.bucket);
  const threshold = formatThresholdPercent(alert.threshold);
  const icon = alert.threshold >= 1 ? "🚨" : "⚠️";
  const header = alert.kind === "actual" ? `${icon} Budget ${threshold} reached: ${who}` : `${icon} Budget ${threshold} forecast: ${who}`;
  const lead =
    alert.kind === "actual"
      ? `*${escapeMrkdwn(who)}* has spent ${formatBudgetUsd(alert.actualMicroUsd)} of its ${formatBudgetUsd(budget.monthlyMicroUsd)} budget for ${monthKey(alert.monthStartMs)}.`
      : `*${escapeMrkdwn(who)}* is forecast to spend ${formatBudgetUsd(alert.forecastMicroUsd)} of its ${formatBudgetUsd(budget.monthlyMicroUsd)} budget for ${monthKey(alert.monthStartMs)}.`;
  const share = (microUsd: MicroUsd) => (budget.monthlyMicroUsd > 0 ? ` (${formatThresholdPercent(microUsd / budget.monthlyMicroUsd)})` : "");
  const fields: SlackText[] = [
    mrkdwnField("Budget", `${formatBudgetUsd(budget.monthlyMicroUsd)} a month · ${budget.groupBy} · ${budget.bucket}`),
    mrkdwnField("Month", monthKey(alert.monthStartMs)),
    mrkdwnField("Spent so far", `${formatBudgetUsd(alert.actualMicroUsd)}${share(alert.actualMicroUsd)}`),
    mrkdwnField("Forecast month end", `${formatBudgetUsd(alert.forecastMicroUsd)}${share(alert.forecastMicroUsd)}`),
    mrkdwnField("Alerts at", budget.alertAtRatios.map(formatThresholdPercent).join(", ")),
  ];
  const blocks: SlackBlock[] = [
    { type: "header", text: { type: "plain_text", text: truncate(header, HEADER_MAX_CHARS), emoji: true } },
    { type: "section", text: { type: "mrkdwn", text: truncate(url === null ? lead : `${lead}\n<${url}|Open in Sightline>`, SECTION_MAX_CHARS) } },
    { type: "section", fields },
    { type: "context", elements: [{ type: "mrkdwn", text: truncate(`${alert.kind === "actual" ? "Actual" : "Forecast"} alert · dedup key \`${escapeMrkdwn(budgetDedupKey(alert))}\``, SECTION_MAX_CHARS) }] },
  ];
  return { text: escapeMrkdwn(summaryLine(alert)), blocks };
}



