import { describe, expect, it } from "vitest";
import {
  BUDGET_WEBHOOK_SCHEMA,
  budgetConsoleUrl,
  describeBudgetBucket,
  formatBudgetUsd,
  toBudgetSlackMessage,
  toBudgetWebhookJson,
} from "@/lib/domain/cost/budget-notification";
import type { BudgetAlert } from "@/lib/domain/cost/cost-types";
import { createBudgetWebhookNotifier } from "@/lib/adapters/http/budget-notifier";
import type { WebhookSendResult, WebhookSender, WebhookTargetRef } from "@/lib/adapters/http/webhook-sender";

const NOV = Date.UTC(2026, 10, 1);

function anAlert(overrides: Partial<BudgetAlert> = {}): BudgetAlert {
  return {
    budget: { groupBy: "tag:team", bucket: "value:payments", monthlyMicroUsd: 1_200_000_000, alertAtRatios: [0.8, 1] },
    monthStartMs: NOV,
    threshold: 0.8,
    kind: "actual",
    actualMicroUsd: 960_123_456,
    forecastMicroUsd: 1_350_000_000,
    key: "tag:team|value:payments|2026-11|actual|0.8",
    ...overrides,
  };
}

describe("formatBudgetUsd", () => {
  it.each([
    [0, "$0.00"],
    [1_200_000_000, "$1,200.00"],
    [960_123_456, "$960.12"],
    [4_999, "$0.00"],
    [5_000, "$0.01"],
    [-5_000, "-$0.01"],
    [-4_999, "$0.00"],
    [1_234_567_890_000, "$1,234,567.89"],
    [999_995_000, "$1,000.00"],
  ])("%d µUSD → %s", (microUsd, text) => {
    expect(formatBudgetUsd(microUsd)).toBe(text);
  });

  it("refuses fractions of a micro-dollar", () => {
    expect(() => formatBudgetUsd(0.5)).toThrow(RangeError);
  });
});

describe("budgetConsoleUrl", () => {
  it("links the bucket on the costs page, encoded, without a trailing slash doubling", () => {
    expect(budgetConsoleUrl("https://sightline.example.com/", "tag:team", "value:payments & co")).toBe(
      "https://sightline.example.com/costs?groupBy=tag%3Ateam&bucket=value%3Apayments+%26+co",
    );
    const url = new URL(budgetConsoleUrl("https://sightline.example.com", "tag:team", "value:payments")!);
    expect(url.pathname).toBe("/costs");
    expect(url.searchParams.get("groupBy")).toBe("tag:team");
    expect(url.searchParams.get("bucket")).toBe("value:payments");
  });

  it("is null without a console URL", () => {
    expect(budgetConsoleUrl(null, "service", "idle")).toBeNull();
    expect(budgetConsoleUrl("  ", "service", "idle")).toBeNull();
  });
});

describe("describeBudgetBucket", () => {
  it.each([
    ["tag:team", "value:payments", "team payments"],
    ["service", "value:AWS Lambda", "service AWS Lambda"],
    ["tag:team", "unallocated", "unallocated (team)"],
    ["tag:env", "idle", "idle provisioned concurrency"],
  ])("%s %s → %s", (groupBy, bucket, text) => {
    expect(describeBudgetBucket(groupBy, bucket)).toBe(text);
  });
});

describe("toBudgetWebhookJson", () => {
  it("carries exact amounts as µUSD and six-decimal strings, the month, the dedup key and the link", () => {
    expect(toBudgetWebhookJson(anAlert(), { consoleUrl: "https://sightline.example.com" })).toEqual({
      schema: BUDGET_WEBHOOK_SCHEMA,
      kind: "actual",
      dedupKey: "sightline:budget:tag:team|value:payments|2026-11|actual|0.8",
      summary: "Budget 80 % reached: team payments has spent $960.12 of its $1,200.00 budget for 2026-11",
      groupBy: "tag:team",
      bucket: "value:payments",
      bucketLabel: "team payments",
      month: "2026-11",
      monthStart: "2026-11-01T00:00:00.000Z",
      thresholdRatio: 0.8,
      limitMicroUsd: 1_200_000_000,
      actualMicroUsd: 960_123_456,
      forecastMicroUsd: 1_350_000_000,
      limitUsd: "1200.000000",
      actualUsd: "960.123456",
      forecastUsd: "1350.000000",
      url: "https://sightline.example.com/costs?groupBy=tag%3Ateam&bucket=value%3Apayments",
    });
  });

  it("words a forecast alert as a forecast and has no link without a console URL", () => {
    const doc = toBudgetWebhookJson(anAlert({ kind: "forecast", threshold: 1, key: "tag:team|value:payments|2026-11|forecast|1" }), { consoleUrl: null });
    expect(doc.summary).toBe("Budget 100 % forecast: team payments is forecast to spend $1,350.00 of its $1,200.00 budget for 2026-11 ($960.12 so far)");
    expect(doc.url).toBeNull();
    expect(doc.kind).toBe("forecast");
  });

  it("is JSON-serialisable as is", () => {
    const doc = toBudgetWebhookJson(anAlert(), { consoleUrl: null });
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });
});

describe("toBudgetSlackMessage", () => {
  it("has a header, a lead with the link, the amounts and the dedup key", () => {
    const message = toBudgetSlackMessage(anAlert(), { consoleUrl: "https://sightline.example.com" });
    expect(message.text).toBe("Budget 80 % reached: team payments has spent $960.12 of its $1,200.00 budget for 2026-11");
    expect(message.blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: "⚠️ Budget 80 % reached: team payments", emoji: true } });
    const lead = message.blocks[1];
    expect(lead).toEqual({
      type: "section",
      text: {
        type: "mrkdwn",
        text: "*team payments* has spent $960.12 of its $1,200.00 budget for 2026-11.\n<https://sightline.example.com/costs?groupBy=tag%3Ateam&bucket=value%3Apayments|Open in Sightline>",
      },
    });
    const fields = message.blocks[2]!.type === "section" ? message.blocks[2]!.fields!.map((f) => f.text) : [];
    expect(fields).toEqual([
      "*Budget*\n$1,200.00 a month · tag:team · value:payments",
      "*Month*\n2026-11",
      "*Spent so far*\n$960.12 (80 %)",
      "*Forecast month end*\n$1,350.00 (112.5 %)",
      "*Alerts at*\n80 %, 100 %",
    ]);
    expect(JSON.stringify(message.blocks[3])).toContain("sightline:budget:tag:team|value:payments|2026-11|actual|0.8");
  });

  it("escapes a hostile tag value so it cannot ping a channel", () => {
    const alert = anAlert({ budget: { groupBy: "tag:team", bucket: "value:<!channel>", monthlyMicroUsd: 1_000_000, alertAtRatios: [1] }, threshold: 1 });
    const message = toBudgetSlackMessage(alert, { consoleUrl: null });
    // Every mrkdwn text (and the fallback text) is escaped; the header is plain_text, which Slack never reads as markup.
    const mrkdwn = [message.text, ...message.blocks.slice(1).map((b) => JSON.stringify(b))].join("\n");
    expect(mrkdwn).not.toContain("<!channel>");
    expect(mrkdwn).toContain("&lt;!channel&gt;");
    expect(message.blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: "🚨 Budget 100 % reached: team <!channel>", emoji: true } });
  });
});

describe("createBudgetWebhookNotifier", () => {
  function fakeSender(fail: (target: WebhookTargetRef) => string | null): WebhookSender & { sent: { target: WebhookTargetRef; body: unknown }[] } {
    const sent: { target: WebhookTargetRef; body: unknown }[] = [];
    return {
      sent,
      async send(target, body): Promise<WebhookSendResult> {
        sent.push({ target, body });
        const error = fail(target);
        return error === null ? { ok: true, status: 200 } : { ok: false, error };
      },
    };
  }
  const targets = [
    { format: "json" as const, url: "https://ops.example.com/hooks/secret-path" },
    { format: "slack" as const, url: "https://hooks.slack.com/services/T000/B000/XXXX" },
  ];

  it("sends the JSON document and the Slack message to their targets", async () => {
    const sender = fakeSender(() => null);
    const notifier = createBudgetWebhookNotifier({ targets, sender, consoleUrl: "https://sightline.example.com" });
    expect(notifier.channelCount).toBe(2);
    await expect(notifier.deliver(anAlert())).resolves.toEqual({ delivered: true, error: null });
    expect(sender.sent.map((s) => s.target.format)).toEqual(["json", "slack"]);
    expect(sender.sent[0]!.body).toMatchObject({ schema: BUDGET_WEBHOOK_SCHEMA, actualMicroUsd: 960_123_456 });
    expect(sender.sent[1]!.body).toMatchObject({ text: expect.stringContaining("team payments") as unknown, blocks: expect.any(Array) as unknown });
  });

  it("reports a failed target by format and origin only, and still tries the others", async () => {
    const sender = fakeSender((t) => (t.format === "slack" ? "HTTP 404 (no_service)" : null));
    const outcome = await createBudgetWebhookNotifier({ targets, sender, consoleUrl: null }).deliver(anAlert());
    expect(sender.sent).toHaveLength(2);
    expect(outcome.delivered).toBe(false);
    expect(outcome.error).toBe("slack https://hooks.slack.com/…: HTTP 404 (no_service)");
    expect(outcome.error).not.toContain("T000");
  });

  it("with no targets delivers nothing and says so by its channel count", async () => {
    const sender = fakeSender(() => null);
    const notifier = createBudgetWebhookNotifier({ targets: [], sender, consoleUrl: null });
    expect(notifier.channelCount).toBe(0);
    await expect(notifier.deliver(anAlert())).resolves.toEqual({ delivered: true, error: null });
    expect(sender.sent).toEqual([]);
  });
});
