import type { AlertNotificationEvent, AlertSeverity } from "@/lib/domain/slo/alert-lifecycle";
import { describeIndicator, describeWindow, formatObjectivePercent, type SloSpec, type SloWindow } from "@/lib/domain/slo/slo-definition";

/**
 * The payloads an alert notification is delivered as: a versioned JSON document for generic
 * webhooks and a Slack incoming-webhook message (Block Kit). Pure: the adapter posts them.
 */

/** What a notification says about the SLO; a SloSpec or a stored SloDefinition fits. */
export type AlertSlo = Pick<SloSpec, "id" | "name" | "service" | "accountId" | "region" | "indicator" | "objective" | "window" | "labels">;

export interface AlertNotificationContext {
  /** The console's base URL (e.g. https://sightline.example.com); null when none is configured. */
  consoleUrl: string | null;
  /** The error budget left over the SLO window (1 − consumed); negative once overspent; null when unknown. */
  budgetRemainingRatio: number | null;
}

export const ALERT_WEBHOOK_SCHEMA = "sightline.alert/v1";

/** The JSON document posted to `json` webhooks. Additive changes keep v1; anything else is v2. */
export interface AlertWebhookDocument {
  schema: typeof ALERT_WEBHOOK_SCHEMA;
  status: "firing" | "resolved";
  severity: AlertSeverity;
  /** Stable for one episode (SLO, severity, start) across its firing and resolved documents. */
  dedupKey: string;
  /** One line for receivers that show only a title. */
  summary: string;
  accountId: string;
  region: string;
  service: string;
  slo: {
    id: string;
    name: string;
    /** The objective as a ratio (0.999 for 99.9 %). */
    objectiveRatio: number;
    window: SloWindow;
    /** "rolling 30 days", "calendar month". */
    windowDescription: string;
    /** "availability (CloudWatch)", "requests ≤ 300 ms (X-Ray)". */
    indicatorDescription: string;
    labels: Record<string, string>;
  };
  /** Firing: the current long-window burn rate. Resolved: the episode's peak. */
  burnRate: number;
  budgetRemainingRatio: number | null;
  /** ISO 8601 UTC. */
  startsAt: string;
  /** ISO 8601 UTC; null while firing. */
  endsAt: string | null;
  /** How long the episode lasted; null while firing. */
  durationMs: number | null;
  /** The SLO's page in the console; null when no console URL is configured. */
  url: string | null;
}

/** A Slack incoming-webhook body: `text` is the notification fallback, `blocks` the message. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

export type SlackText = { type: "plain_text"; text: string; emoji?: boolean } | { type: "mrkdwn"; text: string };
export type SlackBlock =
  | { type: "header"; text: { type: "plain_text"; text: string; emoji: boolean } }
  | { type: "section"; text?: SlackText; fields?: SlackText[] }
  | { type: "context"; elements: SlackText[] };

// Block Kit limits: header text 150 characters, section text 3,000, each field 2,000.
/** Slack's limits on a header, a section's text and a field's text (characters). */
export const HEADER_MAX_CHARS = 150;
export const SECTION_MAX_CHARS = 3000;
export const FIELD_MAX_CHARS = 2000;

/** The dedup key of an episode: `sightline:<sloId>:<severity>:<startedAtMs>` (SLO ids hold no colon). */
export function alertDedupKey(event: Pick<AlertNotificationEvent, "sloId" | "severity" | "startedAtMs">): string {
  return `sightline:${event.sloId}:${event.severity}:${event.startedAtMs}`;
}

/** The SLO's console page, `<consoleUrl>/slos/<id>`, or null without a console URL. */
export function sloConsoleUrl(consoleUrl: string | null, sloId: string): string | null {
  if (consoleUrl === null || consoleUrl.trim() === "") return null;
  return `${consoleUrl.trim().replace(/\/+$/, "")}/slos/${encodeURIComponent(sloId)}`;
}

/** Builds the `sightline.alert/v1` JSON document for one notification. */
export function toWebhookJson(event: AlertNotificationEvent, slo: AlertSlo, context: AlertNotificationContext): AlertWebhookDocument {
  return {
    schema: ALERT_WEBHOOK_SCHEMA,
    status: event.kind,
    severity: event.severity,
    dedupKey: alertDedupKey(event),
    summary: summaryLine(event, slo),
    accountId: slo.accountId,
    region: slo.region,
    service: slo.service,
    slo: {
      id: slo.id,
      name: slo.name,
      objectiveRatio: slo.objective,
      window: slo.window,
      windowDescription: describeWindow(slo.window),
      indicatorDescription: describeIndicator(slo.indicator),
      labels: { ...slo.labels },
    },
    burnRate: event.burnRate,
    budgetRemainingRatio: context.budgetRemainingRatio,
    startsAt: new Date(event.startedAtMs).toISOString(),
    endsAt: event.endedAtMs === null ? null : new Date(event.endedAtMs).toISOString(),
    durationMs: event.endedAtMs === null ? null : event.endedAtMs - event.startedAtMs,
    url: sloConsoleUrl(context.consoleUrl, slo.id),
  };
}

/**
 * Builds the Slack incoming-webhook message for one notification: a header, a section with
 * the SLO's account, region, service, objective, burn rate and budget, an optional link, and
 * a context line with the start time and dedup key. Resolved messages say how long it burned.
 * Names and labels are escaped, so an SLO called "<!channel>" cannot ping a channel.
 */
export function toSlackMessage(event: AlertNotificationEvent, slo: AlertSlo, context: AlertNotificationContext): SlackMessage {
  const resolved = event.kind === "resolved";
  const severityWord = event.severity === "page" ? "Page" : "Ticket";
  const icon = resolved ? "✅" : event.severity === "page" ? "🚨" : "⚠️";
  const durationMs = event.endedAtMs === null ? null : event.endedAtMs - event.startedAtMs;
  const url = sloConsoleUrl(context.consoleUrl, slo.id);

  const fields: SlackText[] = [
    mrkdwnField("Service", slo.service),
    mrkdwnField("Account / region", `${slo.accountId} / ${slo.region}`),
    mrkdwnField("SLO", `${slo.name} (${slo.id})`),
    mrkdwnField("Objective", `${formatObjectivePercent(slo.objective)} · ${describeWindow(slo.window)} · ${describeIndicator(slo.indicator)}`),
    mrkdwnField(resolved ? "Peak burn rate" : "Burn rate", formatBurnRate(event.burnRate)),
    mrkdwnField("Budget remaining", formatBudgetRemaining(context.budgetRemainingRatio)),
  ];
  if (durationMs !== null) fields.push(mrkdwnField("Burned for", formatBurnDuration(durationMs)));

  const lead = resolved
    ? `*${escapeMrkdwn(slo.name)}* stopped burning its error budget after ${formatBurnDuration(durationMs ?? 0)}.`
    : `*${escapeMrkdwn(slo.name)}* is burning its error budget ${formatBurnRate(event.burnRate)} as fast as the objective allows.`;
  const blocks: SlackBlock[] = [
    { type: "header", text: { type: "plain_text", text: truncate(`${icon} ${severityWord} ${resolved ? "resolved" : "firing"}: ${slo.name}`, HEADER_MAX_CHARS), emoji: true } },
    { type: "section", text: { type: "mrkdwn", text: truncate(url === null ? lead : `${lead}\n<${url}|Open in Sightline>`, SECTION_MAX_CHARS) } },
    { type: "section", fields },
  ];

  const contextBits = [`Started ${slackDate(event.startedAtMs)}`];
  if (event.endedAtMs !== null) contextBits.push(`ended ${slackDate(event.endedAtMs)}`);
  contextBits.push(`dedup key \`${alertDedupKey(event)}\``);
  const labels = Object.entries(slo.labels);
  if (labels.length > 0) contextBits.push(labels.map(([k, v]) => `${escapeMrkdwn(k)}=${escapeMrkdwn(v)}`).join(", "));
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: truncate(contextBits.join(" · "), SECTION_MAX_CHARS) }] });

  return { text: escapeMrkdwn(summaryLine(event, slo)), blocks };
}

/** "14.4×", "1.2×", "250×": one decimal below 100. */
export function formatBurnRate(burnRate: number): string {
  if (!Number.isFinite(burnRate)) return "∞×";
  return `${burnRate >= 100 ? Math.round(burnRate) : Math.round(burnRate * 10) / 10}×`;
}

/** "45 s", "12 min", "3 h 5 min", "2 d 4 h": the two largest units, rounded down. */
export function formatBurnDuration(durationMs: number): string {
  const seconds = Math.max(0, Math.floor(durationMs / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

function summaryLine(event: AlertNotificationEvent, slo: AlertSlo): string {
  const head = `[${event.severity.toUpperCase()}] ${event.kind === "firing" ? "FIRING" : "RESOLVED"}: SLO ${slo.name} (${slo.id})`;
  const where = `service ${slo.service}, account ${slo.accountId}, ${slo.region}`;
  const tail =
    event.kind === "firing" || event.endedAtMs === null
      ? `burn rate ${formatBurnRate(event.burnRate)}`
      : `burned for ${formatBurnDuration(event.endedAtMs - event.startedAtMs)}, peak burn rate ${formatBurnRate(event.burnRate)}`;
  return `${head}; ${where}; ${tail}`;
}

function formatBudgetRemaining(ratio: number | null): string {
  if (ratio === null) return "unknown";
  const percent = Math.round(ratio * 1000) / 10;
  return ratio < 0 ? `${percent} % (overspent)` : `${percent} %`;
}

/** A Slack field: a bold label over the escaped value, cut to Slack's limit. */
export function mrkdwnField(label: string, value: string): SlackText {
  return { type: "mrkdwn", text: truncate(`*${label}*\n${escapeMrkdwn(value)}`, FIELD_MAX_CHARS) };
}

/** Slack reads &, < and > as markup (`<!channel>`, links): user text must be escaped. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Slack's date token: shown in the reader's time zone, the ISO text where unsupported. */
function slackDate(epochMs: number): string {
  return `<!date^${Math.floor(epochMs / 1000)}^{date_short_pretty} {time}|${new Date(epochMs).toISOString()}>`;
}

/** Cuts to at most `maxChars` UTF-16 units (the stricter count) without splitting a code point. */
export function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let out = "";
  for (const char of text) {
    if (out.length + char.length > maxChars - 1) break;
    out += char;
  }
  return `${out}…`;
}
