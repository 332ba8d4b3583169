import { describe, expect, it } from "vitest";
import type { AlertNotificationEvent } from "@/lib/domain/slo/alert-lifecycle";
import {
  alertDedupKey,
  formatBurnDuration,
  formatBurnRate,
  sloConsoleUrl,
  toSlackMessage,
  toWebhookJson,
  type SlackBlock,
  type SlackMessage,
} from "@/lib/domain/slo/alert-notification";
import type { SloSpec } from "@/lib/domain/slo/slo-definition";
import { aSloSpec } from "@/tests/builders/slo";
import { SloWebhooksSchema, parseWebhookTargets, redactUrl } from "@/lib/domain/slo/webhook-targets";

const STARTED = Date.UTC(2026, 10, 26, 12, 0);
const ENDED = Date.UTC(2026, 10, 26, 13, 35);

/** A whole SloSpec (what the evaluator holds), so the test also proves a spec fits AlertSlo. */
function anSlo(overrides: Partial<SloSpec> = {}): SloSpec {
  return aSloSpec({
    id: "checkout-availability",
    name: "Checkout availability",
    service: "orders",
    region: "eu-west-1",
    target: { kind: "service", service: "orders" },
    labels: { team: "commerce" },
    ...overrides,
  });
}

function firing(overrides: Partial<AlertNotificationEvent> = {}): AlertNotificationEvent {
  return { kind: "firing", severity: "page", sloId: "checkout-availability", startedAtMs: STARTED, endedAtMs: null, burnRate: 14.4, ...overrides };
}

function resolved(overrides: Partial<AlertNotificationEvent> = {}): AlertNotificationEvent {
  return firing({ kind: "resolved", endedAtMs: ENDED, burnRate: 21.25, ...overrides });
}

const CONTEXT = { consoleUrl: "https://sightline.example.com", budgetRemainingRatio: 0.625 };

/** The texts Slack parses as mrkdwn: the fallback, sections and context (not the plain_text header). */
function mrkdwnTexts(message: SlackMessage): string[] {
  const fromBlock = (b: SlackBlock): string[] =>
    b.type === "header" ? [] : b.type === "context" ? b.elements.map((e) => e.text) : [...(b.text ? [b.text.text] : []), ...(b.fields ?? []).map((f) => f.text)];
  return [message.text, ...message.blocks.flatMap(fromBlock)];
}

describe("toWebhookJson", () => {
  it("builds the versioned document for a firing alert", () => {
    expect(toWebhookJson(firing(), anSlo(), CONTEXT)).toEqual({
      schema: "sightline.alert/v1",
      status: "firing",
      severity: "page",
      dedupKey: "sightline:checkout-availability:page:1795694400000",
      summary: "[PAGE] FIRING: SLO Checkout availability (checkout-availability); service orders, account 123456789012, eu-west-1; burn rate 14.4×",
      accountId: "123456789012",
      region: "eu-west-1",
      service: "orders",
      slo: {
        id: "checkout-availability",
        name: "Checkout availability",
        objectiveRatio: 0.999,
        window: { kind: "rolling", days: 30 },
        windowDescription: "rolling 30 days",
        indicatorDescription: "availability (CloudWatch)",
        labels: { team: "commerce" },
      },
      burnRate: 14.4,
      budgetRemainingRatio: 0.625,
      startsAt: "2026-11-26T12:00:00.000Z",
      endsAt: null,
      durationMs: null,
      url: "https://sightline.example.com/slos/checkout-availability",
    });
  });

  it("ends a resolved alert and keeps the firing document's dedup key", () => {
    const doc = toWebhookJson(resolved(), anSlo(), CONTEXT);
    expect(doc.status).toBe("resolved");
    expect(doc.endsAt).toBe("2026-11-26T13:35:00.000Z");
    expect(doc.durationMs).toBe(95 * 60_000);
    expect(doc.burnRate).toBe(21.25);
    expect(doc.summary).toContain("burned for 1 h 35 min, peak burn rate 21.3×");
    expect(doc.dedupKey).toBe(toWebhookJson(firing(), anSlo(), CONTEXT).dedupKey);
  });

  it("gives each episode and severity its own dedup key", () => {
    const keys = new Set([
      alertDedupKey(firing()),
      alertDedupKey(firing({ severity: "ticket" })),
      alertDedupKey(firing({ startedAtMs: STARTED + 60_000 })),
      alertDedupKey(firing({ sloId: "checkout-latency" })),
    ]);
    expect(keys.size).toBe(4);
  });

  it("has no link and no budget when the context has none", () => {
    const doc = toWebhookJson(firing(), anSlo(), { consoleUrl: null, budgetRemainingRatio: null });
    expect(doc.url).toBeNull();
    expect(doc.budgetRemainingRatio).toBeNull();
  });

  it("survives a JSON round trip unchanged", () => {
    const doc = toWebhookJson(resolved(), anSlo(), CONTEXT);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });
});

describe("sloConsoleUrl", () => {
  it.each([
    ["https://sightline.example.com", "https://sightline.example.com/slos/checkout-availability"],
    ["https://sightline.example.com/", "https://sightline.example.com/slos/checkout-availability"],
    ["https://example.com/sightline//", "https://example.com/sightline/slos/checkout-availability"],
    ["", null],
    [null, null],
  ])("%s → %s", (consoleUrl, expected) => {
    expect(sloConsoleUrl(consoleUrl, "checkout-availability")).toBe(expected);
  });
});

describe("toSlackMessage", () => {
  it("builds a firing page message: header, lead with link, fields, context", () => {
    const message = toSlackMessage(firing(), anSlo(), CONTEXT);
    expect(message.text).toBe(
      "[PAGE] FIRING: SLO Checkout availability (checkout-availability); service orders, account 123456789012, eu-west-1; burn rate 14.4×",
    );
    expect(message.blocks.map((b) => b.type)).toEqual(["header", "section", "section", "context"]);
    expect(message.blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: "🚨 Page firing: Checkout availability", emoji: true } });
    expect(message.blocks[1]).toEqual({
      type: "section",
      text: {
        type: "mrkdwn",
        text: "*Checkout availability* is burning its error budget 14.4× as fast as the objective allows.\n<https://sightline.example.com/slos/checkout-availability|Open in Sightline>",
      },
    });
    const fields = message.blocks[2]?.type === "section" ? (message.blocks[2].fields ?? []).map((f) => f.text) : [];
    expect(fields).toEqual([
      "*Service*\norders",
      "*Account / region*\n123456789012 / eu-west-1",
      "*SLO*\nCheckout availability (checkout-availability)",
      "*Objective*\n99.9 % · rolling 30 days · availability (CloudWatch)",
      "*Burn rate*\n14.4×",
      "*Budget remaining*\n62.5 %",
    ]);
    const context = message.blocks[3]?.type === "context" ? message.blocks[3].elements[0]?.text : "";
    expect(context).toBe(
      "Started <!date^1795694400^{date_short_pretty} {time}|2026-11-26T12:00:00.000Z> · dedup key `sightline:checkout-availability:page:1795694400000` · team=commerce",
    );
  });

  it("says how long a resolved alert burned, with its peak burn rate", () => {
    const message = toSlackMessage(resolved({ severity: "ticket" }), anSlo(), CONTEXT);
    expect(message.text).toContain("[TICKET] RESOLVED");
    expect(message.text).toContain("burned for 1 h 35 min");
    expect(message.blocks[0]).toMatchObject({ text: { text: "✅ Ticket resolved: Checkout availability" } });
    const texts = mrkdwnTexts(message);
    expect(texts).toContain("*Burned for*\n1 h 35 min");
    expect(texts).toContain("*Peak burn rate*\n21.3×");
    expect(texts.some((t) => t.includes("stopped burning its error budget after 1 h 35 min"))).toBe(true);
    expect(texts.some((t) => t.includes("ended <!date^1795700100^"))).toBe(true);
  });

  it.each([firing(), firing({ severity: "ticket" }), resolved(), resolved({ severity: "ticket" })])(
    "names account, region, service and SLO in the fallback and the blocks ($kind $severity)",
    (event) => {
      const message = toSlackMessage(event, anSlo(), { consoleUrl: null, budgetRemainingRatio: null });
      for (const needle of ["123456789012", "eu-west-1", "orders", "checkout-availability"]) {
        expect(message.text).toContain(needle);
        expect(JSON.stringify(message.blocks)).toContain(needle);
      }
    },
  );

  it("has no link without a console URL and says the budget is unknown", () => {
    const message = toSlackMessage(firing(), anSlo(), { consoleUrl: null, budgetRemainingRatio: null });
    expect(JSON.stringify(message)).not.toContain("Open in Sightline");
    expect(mrkdwnTexts(message)).toContain("*Budget remaining*\nunknown");
  });

  it("marks an overspent budget", () => {
    const message = toSlackMessage(firing(), anSlo(), { ...CONTEXT, budgetRemainingRatio: -0.42 });
    expect(mrkdwnTexts(message)).toContain("*Budget remaining*\n-42 % (overspent)");
  });

  it("escapes Slack markup in names and labels so an SLO cannot ping a channel", () => {
    const slo = anSlo({ name: "<!channel> Tom & Jerry <https://evil.example|click>", labels: { owner: "<@U123>" } });
    const message = toSlackMessage(resolved(), slo, CONTEXT);
    const texts = mrkdwnTexts(message);
    expect(texts.length).toBeGreaterThan(5);
    for (const text of texts) {
      expect(text).not.toContain("<!channel>");
      expect(text).not.toContain("<@U123>");
      expect(text).not.toContain("<https://evil");
    }
    expect(message.text).toContain("&lt;!channel&gt; Tom &amp; Jerry");
  });

  it("keeps the header within Block Kit's 150 characters", () => {
    const message = toSlackMessage(firing(), anSlo({ name: "x".repeat(200) }), CONTEXT);
    const header = message.blocks[0]?.type === "header" ? message.blocks[0].text.text : "";
    expect(header.length).toBeLessThanOrEqual(150);
    expect(header.endsWith("…")).toBe(true);
  });
});

describe("formatting", () => {
  it.each([
    [0, "0 s"],
    [45_500, "45 s"],
    [60_000, "1 min"],
    [12 * 60_000 + 59_000, "12 min"],
    [3 * 3_600_000, "3 h"],
    [3 * 3_600_000 + 5 * 60_000, "3 h 5 min"],
    [2 * 86_400_000 + 4 * 3_600_000 + 59 * 60_000, "2 d 4 h"],
    [3 * 86_400_000, "3 d"],
  ])("formatBurnDuration(%d) = %s", (ms, text) => {
    expect(formatBurnDuration(ms)).toBe(text);
  });

  it.each([
    [14.4, "14.4×"],
    [6, "6×"],
    [1.04, "1×"],
    [99.96, "100×"],
    [1234.5, "1235×"],
    [Infinity, "∞×"],
  ])("formatBurnRate(%d) = %s", (rate, text) => {
    expect(formatBurnRate(rate)).toBe(text);
  });
});

describe("parseWebhookTargets (SLO_WEBHOOKS)", () => {
  const SLACK = "https://hooks.slack.com/services/T0001/B0002/SeCrEtToKeN";

  it("reads comma-separated format=URL entries, trimming blanks and a trailing comma", () => {
    expect(parseWebhookTargets(` slack=${SLACK} , JSON=http://127.0.0.1:8080/hook?token=abc ,`)).toEqual({
      ok: true,
      targets: [
        { format: "slack", url: SLACK },
        { format: "json", url: "http://127.0.0.1:8080/hook?token=abc" },
      ],
    });
  });

  it.each([undefined, "", "  ", ","])("means no targets when unset or blank (%j)", (value) => {
    expect(parseWebhookTargets(value)).toEqual({ ok: true, targets: [] });
  });

  it.each([
    [`json=https://ops.example.com/a,teams=${SLACK}`, 'SLO_WEBHOOKS entry 2 (teams=https://hooks.slack.com/…) has an unknown format "teams": use json or slack'],
    [SLACK, "SLO_WEBHOOKS entry 1 (https://hooks.slack.com/…) must be format=URL, e.g. slack=https://hooks.slack.com/services/…"],
    [`https://hooks.slack.com/services/x?token=SeCrEtToKeN`, "SLO_WEBHOOKS entry 1 (https://hooks.slack.com/…) must be format=URL, e.g. slack=https://hooks.slack.com/services/…"],
    [`slack:${SLACK}`, "SLO_WEBHOOKS entry 1 (a slack: URL) must be format=URL, e.g. slack=https://hooks.slack.com/services/…"],
    ["slack=ftp://files.example.com/SeCrEtToKeN", "SLO_WEBHOOKS entry 1 (slack=ftp://files.example.com/…) needs an http(s) URL such as https://hooks.slack.com/services/…"],
    ["json=hooks.slack.com/services/SeCrEtToKeN", "SLO_WEBHOOKS entry 1 (json=an unparseable URL) needs an http(s) URL such as https://hooks.slack.com/services/…"],
    ["json=", "SLO_WEBHOOKS entry 1 (json=an unparseable URL) needs an http(s) URL such as https://hooks.slack.com/services/…"],
  ])("names the bad entry without its secret: %s", (value, error) => {
    const result = parseWebhookTargets(value);
    expect(result).toEqual({ ok: false, error });
    expect(JSON.stringify(result)).not.toContain("SeCrEtToKeN");
    expect(JSON.stringify(result)).not.toContain("/services/T0001");
  });

  it("works as a zod field in a config schema, with the same redacted message", () => {
    expect(SloWebhooksSchema.parse(`json=${SLACK}`)).toEqual([{ format: "json", url: SLACK }]);
    expect(SloWebhooksSchema.parse(undefined)).toEqual([]);
    const failed = SloWebhooksSchema.safeParse(`slack=${SLACK},xml=${SLACK}`);
    expect(failed.success).toBe(false);
    expect(failed.error?.issues.map((i) => i.message)).toEqual(['SLO_WEBHOOKS entry 2 (xml=https://hooks.slack.com/…) has an unknown format "xml": use json or slack']);
  });

  it.each([
    [SLACK, "https://hooks.slack.com/…"],
    ["https://user:pass@example.com", "https://example.com"],
    ["https://example.com/", "https://example.com"],
    ["http://127.0.0.1:9000/?k=v", "http://127.0.0.1:9000/…"],
    ["not a url", "an unparseable URL"],
  ])("redactUrl(%s) = %s", (url, redacted) => {
    expect(redactUrl(url)).toBe(redacted);
  });
});
