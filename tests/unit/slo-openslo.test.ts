import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments, stringify } from "yaml";
import { MAX_OPENSLO_BYTES, parseOpenSloYaml, toOpenSloYaml, type OpenSloImportError } from "@/lib/domain/slo/openslo";
import { SloSpecSchema, type SloIndicator, type SloSpec, type SloTarget, type SloWindow } from "@/lib/domain/slo/slo-definition";

/** OpenSLO v1 import and export: fixtures, every rejection with its path, and the round trip. */

const DEFAULTS = { accountId: "999999999999", region: "us-east-1" };
type Segment = string | number;
type Edit = [path: Segment[], value: unknown];
/** Marks a field to delete in an Edit. */
const DELETE = Symbol("delete");

function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../fixtures/openslo/${name}`, import.meta.url)), "utf8");
}

function importedFrom(text: string): SloSpec[] {
  const result = parseOpenSloYaml(text, DEFAULTS);
  if (!result.ok) throw new Error(`expected the import to succeed:\n${JSON.stringify(result.errors, null, 2)}`);
  return result.slos;
}

function errorsOf(text: string): OpenSloImportError[] {
  const result = parseOpenSloYaml(text, DEFAULTS);
  expect(result.ok).toBe(false);
  expect(result).not.toHaveProperty("slos");
  return result.ok ? [] : result.errors;
}

/** Sets (or, with DELETE, removes) the value at `path`, creating mappings on the way. */
function setIn(root: unknown, path: readonly Segment[], value: unknown): void {
  let node = root as Record<Segment, unknown>;
  for (const segment of path.slice(0, -1)) {
    node[segment] ??= {};
    node = node[segment] as Record<Segment, unknown>;
  }
  const last = path[path.length - 1]!;
  if (value === DELETE) delete node[last];
  else node[last] = value;
}

/** The fixture's documents as plain data, document `index` (0-based) edited, back to YAML. */
function edited(file: string, edits: readonly Edit[], index = 0): string {
  const docs = parseAllDocuments(fixture(file)).map((doc) => doc.toJS() as unknown);
  for (const [path, value] of edits) setIn(docs[index], path, value);
  return docs.map((doc) => stringify(doc)).join("---\n");
}

/** The metric math of the checkout fixture's good or total count, as GetMetricData queries. */
function checkoutQueries(role: "good" | "total"): Record<string, unknown>[] {
  const doc = parse(fixture("checkout-availability.yaml")) as { spec: { indicator: { spec: { ratioMetric: Record<string, { metricSource: { spec: { json: string } } }> } } } };
  return JSON.parse(doc.spec.indicator.spec.ratioMetric[role]!.metricSource.spec.json) as Record<string, unknown>[];
}

const aSlo = (overrides: Partial<SloSpec>): SloSpec =>
  SloSpecSchema.parse({
    id: "checkout-availability",
    name: "Checkout availability",
    service: "checkout",
    accountId: "123456789012",
    region: "eu-west-1",
    target: { kind: "function", functionName: "checkout-api" },
    indicator: { kind: "availability", source: "cloudwatch" },
    objective: 0.999,
    window: { kind: "rolling", days: 28 },
    ...overrides,
  });

describe("parseOpenSloYaml: valid files", () => {
  it.each<[string, SloSpec[]]>([
    [
      "checkout-availability.yaml",
      [
        aSlo({
          description: "99.9 % of checkout requests succeed, throttled ones count as failed.",
          alerting: { enabled: true, minEvents: 250 },
          labels: { team: "payments", tier: "tier-1" },
        }),
      ],
    ],
    [
      "checkout-latency-p99.yaml",
      [
        aSlo({
          id: "checkout-latency-p99",
          name: "Checkout p99 latency",
          accountId: DEFAULTS.accountId,
          indicator: { kind: "latency", method: "period", percentile: "p99", thresholdMs: 800 },
          objective: 0.995,
          window: { kind: "calendar", unit: "month" },
          alerting: { enabled: false, minEvents: 100 },
        }),
      ],
    ],
    [
      "orders-service.yaml",
      [
        aSlo({
          id: "orders-availability",
          name: "Orders availability (X-Ray)",
          service: "orders",
          ...DEFAULTS,
          target: { kind: "service", service: "orders" },
          indicator: { kind: "availability", source: "xray" },
          objective: 0.995,
          window: { kind: "rolling", days: 30 },
          labels: { team: "fulfilment" },
        }),
        aSlo({
          id: "orders-create-latency",
          name: "Create order within 300 ms",
          description: "Requests to create an order answered within 300 ms, from X-Ray response times.",
          service: "orders",
          ...DEFAULTS,
          target: { kind: "function", functionName: "orders-create" },
          indicator: { kind: "latency", method: "request", thresholdMs: 300 },
          objective: 0.99,
          window: { kind: "calendar", unit: "quarter" },
        }),
        aSlo({
          id: "orders-p90-minutes",
          name: "orders-p90-minutes",
          service: "orders",
          ...DEFAULTS,
          target: { kind: "service", service: "orders" },
          indicator: { kind: "latency", method: "period", percentile: "p90", thresholdMs: 1500 },
          objective: 0.95,
          window: { kind: "rolling", days: 7 },
        }),
      ],
    ],
  ])("%s", (file, expected) => {
    expect(importedFrom(fixture(file))).toEqual(expected);
  });

  it("reads good = invocations - errors written as a bad count (errors + throttles) too", () => {
    const bad = [
      { Id: "errors", MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: "Errors", Dimensions: [{ Name: "FunctionName", Value: "checkout-api" }] }, Period: 60, Stat: "Sum" }, ReturnData: false },
      { Id: "throttles", MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: "Throttles", Dimensions: [{ Name: "FunctionName", Value: "checkout-api" }] }, Period: 60, Stat: "Sum" }, ReturnData: false },
      { Id: "bad", Expression: "errors + throttles" },
    ];
    const text = edited("checkout-availability.yaml", [
      [["spec", "indicator", "spec", "ratioMetric", "good"], DELETE],
      [["spec", "indicator", "spec", "ratioMetric", "bad"], { metricSource: { type: "cloudwatch", spec: { json: JSON.stringify(bad) } } }],
    ]);
    const [slo] = importedFrom(text);
    expect(slo?.indicator).toEqual({ kind: "availability", source: "cloudwatch" });
    expect(slo?.target).toEqual({ kind: "function", functionName: "checkout-api" });
  });

  it("takes targetPercent as a ratio without binary rounding noise (99.9 → 0.999)", () => {
    const text = edited("checkout-availability.yaml", [
      [["spec", "objectives", 0, "target"], DELETE],
      [["spec", "objectives", 0, "targetPercent"], 99.9],
    ]);
    expect(importedFrom(text)[0]?.objective).toBe(0.999);
  });

  it("skips a trailing empty document and keeps the documents' order", () => {
    const text = `${fixture("orders-service.yaml")}\n---\n# nothing here\n`;
    expect(importedFrom(text).map((slo) => slo.id)).toEqual(["orders-availability", "orders-create-latency", "orders-p90-minutes"]);
  });
});

describe("parseOpenSloYaml: rejections say where and why", () => {
  const ratio = ["spec", "indicator", "spec", "ratioMetric"];
  const good = [...ratio, "good", "metricSource"];
  const total = [...ratio, "total", "metricSource"];
  const threshold = ["spec", "indicator", "spec", "thresholdMetric", "metricSource"];
  const objective = ["spec", "objectives", 0];
  const window = ["spec", "timeWindow", 0];
  const annotations = ["metadata", "annotations"];

  it.each<[name: string, file: string, edits: Edit[], path: string, fragment: string, document?: number, index?: number]>([
    ["a target of 1.5", "checkout-availability.yaml", [[[...objective, "target"], 1.5]], "spec.objectives[0].target", "must be less than 1 (a ratio, e.g. 0.999 for 99.9 %)"],
    ["a target written as a percentage", "checkout-availability.yaml", [[[...objective, "target"], 99.9]], "spec.objectives[0].target", "must be less than 1 (a ratio"],
    ["a target of 0", "checkout-availability.yaml", [[[...objective, "target"], 0]], "spec.objectives[0].target", "must be more than 0"],
    ["a target that is not a number", "checkout-availability.yaml", [[[...objective, "target"], "high"]], "spec.objectives[0].target", 'must be a number; got "high"'],
    ["target and targetPercent", "checkout-availability.yaml", [[[...objective, "targetPercent"], 99.9]], "spec.objectives[0].targetPercent", "give target or targetPercent, not both"],
    ["targetPercent of 100", "checkout-availability.yaml", [[[...objective, "target"], DELETE], [[...objective, "targetPercent"], 100]], "spec.objectives[0].targetPercent", "must be less than 100 (a percentage"],
    ["no target at all", "checkout-availability.yaml", [[[...objective, "target"], DELETE]], "spec.objectives[0]", "needs target (a ratio such as 0.999) or targetPercent"],
    ["two objectives", "checkout-availability.yaml", [[["spec", "objectives", 1], { target: 0.99 }]], "spec.objectives", "Sightline evaluates one objective per SLO; got 2"],
    ["no objective", "checkout-availability.yaml", [[["spec", "objectives"], []]], "spec.objectives", "needs one objective"],
    ["a composite objective", "checkout-availability.yaml", [[[...objective, "indicatorRef"], "other-sli"]], "spec.objectives[0].indicatorRef", "composite SLOs"],
    ["an unknown top-level field", "checkout-availability.yaml", [[["status"], { ok: true }]], "status", "unknown field"],
    ["an unknown spec field", "checkout-availability.yaml", [[["spec", "sloType"], "availability"]], "spec.sloType", "unknown field"],
    ["an unknown objective field", "checkout-availability.yaml", [[[...objective, "treshold"], 1]], "spec.objectives[0].treshold", "unknown field"],
    ["an unknown metadata field", "checkout-availability.yaml", [[["metadata", "project"], "default"]], "metadata.project", "unknown field"],
    ["another apiVersion", "checkout-availability.yaml", [[["apiVersion"], "openslo/v1alpha"]], "apiVersion", "apiVersion must be openslo/v1; got openslo/v1alpha"],
    ["no apiVersion", "checkout-availability.yaml", [[["apiVersion"], DELETE]], "apiVersion", "required: apiVersion must be openslo/v1"],
    ["a Service document", "checkout-availability.yaml", [[["kind"], "Service"]], "kind", "kind must be SLO; got Service (only SLO documents are imported)"],
    ["no service", "checkout-availability.yaml", [[["spec", "service"], DELETE]], "spec.service", "required"],
    ["an id Sightline cannot store", "checkout-availability.yaml", [[["metadata", "name"], "Checkout_Availability"]], "metadata.name", "must be 1-63 lower-case letters"],
    ["an empty displayName", "checkout-availability.yaml", [[["metadata", "displayName"], "  "]], "metadata.displayName", "must not be empty"],
    ["a 14-day window", "checkout-availability.yaml", [[[...window, "duration"], "14d"]], "spec.timeWindow[0].duration", "unsupported rolling window 14d: Sightline evaluates rolling 7d, 28d or 30d"],
    ["a duration that is no shorthand", "checkout-availability.yaml", [[[...window, "duration"], "28 days"]], "spec.timeWindow[0].duration", "must be a duration like 28d"],
    ["two time windows", "checkout-availability.yaml", [[["spec", "timeWindow", 1], { duration: "7d", isRolling: true }]], "spec.timeWindow", "must hold exactly one time window; got 2"],
    ["no time window", "checkout-availability.yaml", [[["spec", "timeWindow"], DELETE]], "spec.timeWindow", "required: Sightline evaluates rolling 7d, 28d or 30d windows"],
    ["a window neither rolling nor calendar", "checkout-availability.yaml", [[[...window, "isRolling"], false]], "spec.timeWindow[0].isRolling", "a window without calendar must be rolling"],
    ["a calendar week", "checkout-latency-p99.yaml", [[[...window, "duration"], "1w"]], "spec.timeWindow[0].duration", "unsupported calendar window 1w"],
    ["a calendar window in New York time", "checkout-latency-p99.yaml", [[[...window, "calendar", "timeZone"], "America/New_York"]], "spec.timeWindow[0].calendar.timeZone", "UTC; got America/New_York"],
    ["a calendar month starting mid-month", "checkout-latency-p99.yaml", [[[...window, "calendar", "startTime"], "2024-01-15 00:00:00"]], "spec.timeWindow[0].calendar.startTime", "must start a calendar month"],
    ["a quarter starting in February", "orders-service.yaml", [[[...window, "calendar", "startTime"], "2024-02-01 00:00:00"]], "spec.timeWindow[0].calendar.startTime", "must start a calendar quarter", 2, 1],
    ["a rolling calendar window", "checkout-latency-p99.yaml", [[[...window, "isRolling"], true]], "spec.timeWindow[0].isRolling", "must be false (or left out) for a calendar window"],
    ["indicatorRef", "checkout-availability.yaml", [[["spec", "indicator"], DELETE], [["spec", "indicatorRef"], "checkout-sli"]], "spec.indicatorRef", "indicatorRef is not supported: inline the indicator"],
    ["no indicator", "checkout-availability.yaml", [[["spec", "indicator"], DELETE]], "spec.indicator", "required: inline the indicator"],
    ["alert policies", "checkout-availability.yaml", [[["spec", "alertPolicies"], [{ alertPolicyRef: "page-oncall" }]]], "spec.alertPolicies", "alert policies are not imported"],
    ["a raw ratio", "checkout-availability.yaml", [[[...ratio, "raw"], { metricSource: { type: "CloudWatch", spec: { json: "[]" } } }]], "spec.indicator.spec.ratioMetric.raw", "raw (precomputed) ratio metrics are not supported"],
    ["good and bad", "checkout-availability.yaml", [[[...ratio, "bad"], { metricSource: { type: "CloudWatch", spec: { json: "[]" } } }]], "spec.indicator.spec.ratioMetric.bad", "give good or bad, not both"],
    ["a ratio without total", "checkout-availability.yaml", [[[...ratio, "total"], DELETE]], "spec.indicator.spec.ratioMetric.total", "required: the count of all events"],
    ["a Prometheus metric source", "checkout-availability.yaml", [[[...good, "type"], "Prometheus"], [[...good, "spec"], { query: "sum(http_requests_total)" }]], "spec.indicator.spec.ratioMetric.good.metricSource.type", "Sightline evaluates CloudWatch AWS/Lambda, X-Ray or Sightline metric sources; got Prometheus"],
    ["a DataSource reference without type", "checkout-availability.yaml", [[[...good, "type"], DELETE], [[...good, "metricSourceRef"], "aws-prod"]], "spec.indicator.spec.ratioMetric.good.metricSource.type", "does not resolve DataSource references (metricSourceRef aws-prod)"],
    ["good and total of different types", "checkout-availability.yaml", [[[...total, "type"], "Sightline"], [[...total, "spec"], { source: "cloudwatch", sli: "availability", events: "total" }]], "spec.indicator.spec.ratioMetric.total.metricSource.type", "must be the same metric source type as good (CloudWatch)"],
    ["metric math that is not a sum", "checkout-availability.yaml", [[[...good, "spec", "json"], JSON.stringify([...checkoutQueries("good").slice(0, 2), { Id: "good", Expression: "invocations / errors" }])]], 'spec.indicator.spec.ratioMetric.good.metricSource.spec.json[2].Expression', 'unrecognised metric math "invocations / errors"'],
    ["a Metrics Insights expression", "checkout-availability.yaml", [[[...good, "spec", "json"], JSON.stringify([{ Id: "good", Expression: "SELECT SUM(Invocations) FROM \"AWS/Lambda\"", Period: 60 }])]], "spec.indicator.spec.ratioMetric.good.metricSource.spec.json[0].Expression", "Metrics Insights queries are not evaluated by Sightline"],
    ["a Metrics Insights sql source", "checkout-availability.yaml", [[[...good, "spec"], { region: "eu-west-1", sql: "SELECT SUM(Invocations) FROM \"AWS/Lambda\"" }]], "spec.indicator.spec.ratioMetric.good.metricSource.spec.sql", "Metrics Insights queries (sql) are not evaluated by Sightline"],
    ["a total that leaves out throttles", "checkout-availability.yaml", [[[...total, "spec", "json"], JSON.stringify([checkoutQueries("total")[0]!, { ...checkoutQueries("total")[1]!, ReturnData: false }, { Id: "total", Expression: "invocations" }])]], "spec.indicator.spec.ratioMetric.total.metricSource.spec.json", "counts total as Invocations + Throttles; got Invocations"],
    ["two queries returning data", "checkout-availability.yaml", [[[...good, "spec", "json"], JSON.stringify(checkoutQueries("good").map((q) => ({ ...q, ReturnData: true })))]], "spec.indicator.spec.ratioMetric.good.metricSource.spec.json", "exactly one query must return data"],
    ["five-minute CloudWatch periods", "checkout-availability.yaml", [[[...good, "spec", "json"], JSON.stringify(checkoutQueries("good").map((q) => (q.MetricStat ? { ...q, MetricStat: { ...(q.MetricStat as object), Period: 300 } } : q)))]], "spec.indicator.spec.ratioMetric.good.metricSource.spec.json[0].MetricStat.Period", "must be 60: Sightline reads per-minute CloudWatch data; got 300"],
    ["json that is not JSON", "checkout-availability.yaml", [[[...good, "spec", "json"], "[{Id: invocations"]], "spec.indicator.spec.ratioMetric.good.metricSource.spec.json", "must be a JSON array of CloudWatch MetricDataQuery objects"],
    ["a MetricDataQuery with a misspelt field", "checkout-availability.yaml", [[[...good, "spec", "json"], JSON.stringify([{ ...checkoutQueries("good")[0]!, ReturnDate: true }, ...checkoutQueries("good").slice(1)])]], "spec.indicator.spec.ratioMetric.good.metricSource.spec.json[0].ReturnDate", "unknown field"],
    ["good and total of different functions", "checkout-availability.yaml", [[[...total, "spec", "json"], JSON.stringify(checkoutQueries("total")).replaceAll("checkout-api", "checkout-web")]], "spec.indicator.spec.ratioMetric.total.metricSource.spec.json[0].MetricStat.Metric.Dimensions[0].Value", "must read the same function as good (checkout-api); got checkout-web"],
    ["two regions", "checkout-availability.yaml", [[[...total, "spec", "region"], "eu-central-1"]], "spec.indicator.spec.ratioMetric.total.metricSource.spec.region", "must match the other metric sources (eu-west-1); got eu-central-1"],
    ["a region annotation that contradicts the metrics", "checkout-latency-p99.yaml", [[[...annotations, "sightline.dev/region"], "us-west-2"]], "spec.indicator.spec.thresholdMetric.metricSource.spec.region", "must match sightline.dev/region (us-west-2); got eu-west-1"],
    ["an API Gateway metric", "checkout-latency-p99.yaml", [[[...threshold, "spec", "namespace"], "AWS/ApiGateway"]], "spec.indicator.spec.thresholdMetric.metricSource.spec.namespace", "Sightline evaluates AWS/Lambda metrics; got AWS/ApiGateway"],
    ["a p95 Duration", "checkout-latency-p99.yaml", [[[...threshold, "spec", "stat"], "p95"]], "spec.indicator.spec.thresholdMetric.metricSource.spec", "reads one Duration percentile (p50, p90 or p99) per minute; got Duration (p95)"],
    ["an alias dimension", "checkout-latency-p99.yaml", [[[...threshold, "spec", "dimensions", 1], { name: "Resource", value: "checkout-api:live" }]], "spec.indicator.spec.thresholdMetric.metricSource.spec.dimensions", "must be exactly one FunctionName dimension (Sightline evaluates whole functions); got FunctionName, Resource"],
    ["a CloudWatch spec missing its stat", "checkout-latency-p99.yaml", [[[...threshold, "spec", "stat"], DELETE]], "spec.indicator.spec.thresholdMetric.metricSource.spec", "missing stat"],
    ["a ratio SLO budgeted in Timeslices", "checkout-availability.yaml", [[["spec", "budgetingMethod"], "Timeslices"]], "spec.budgetingMethod", "must be Occurrences for a ratioMetric indicator"],
    ["an unknown budgeting method", "checkout-availability.yaml", [[["spec", "budgetingMethod"], "Events"]], "spec.budgetingMethod", "must be Occurrences, Timeslices or RatioTimeslices; got Events"],
    ["a thresholdMetric budgeted in Occurrences", "checkout-latency-p99.yaml", [[["spec", "budgetingMethod"], "Occurrences"]], "spec.budgetingMethod", "must be Timeslices for a thresholdMetric indicator"],
    ["an op on a ratio SLO", "checkout-availability.yaml", [[[...objective, "op"], "gte"]], "spec.objectives[0].op", "only used with a thresholdMetric indicator"],
    ["a latency objective with op gt", "checkout-latency-p99.yaml", [[[...objective, "op"], "gt"]], "spec.objectives[0].op", "must be lte (a minute is good when its Duration percentile is at most value ms); got gt"],
    ["five-minute time slices", "checkout-latency-p99.yaml", [[[...objective, "timeSliceWindow"], "5m"]], "spec.objectives[0].timeSliceWindow", "timeSliceWindow must be 1m; got 5m"],
    ["no timeSliceTarget", "checkout-latency-p99.yaml", [[[...objective, "timeSliceTarget"], DELETE]], "spec.objectives[0].timeSliceTarget", "required for Timeslices"],
    ["a threshold beyond Lambda's 15 minutes", "checkout-latency-p99.yaml", [[[...objective, "value"], 1_000_000]], "spec.objectives[0].value", "must be at most 900,000 ms"],
    ["an unquoted account id", "checkout-availability.yaml", [[[...annotations, "sightline.dev/account-id"], 123456789012]], 'metadata.annotations["sightline.dev/account-id"]', "must be a string (quote it in YAML); got 123456789012"],
    ["an account id of 11 digits", "checkout-availability.yaml", [[[...annotations, "sightline.dev/account-id"], "12345678901"]], 'metadata.annotations["sightline.dev/account-id"]', "must be 12 digits"],
    ["an unknown Sightline annotation", "checkout-availability.yaml", [[[...annotations, "sightline.dev/team"], "payments"]], 'metadata.annotations["sightline.dev/team"]', "unknown Sightline annotation"],
    ["alerting neither enabled nor disabled", "checkout-availability.yaml", [[[...annotations, "sightline.dev/alerting"], "yes"]], 'metadata.annotations["sightline.dev/alerting"]', "must be enabled or disabled; got yes"],
    ["min-events that is not a count", "checkout-availability.yaml", [[[...annotations, "sightline.dev/min-events"], "lots"]], 'metadata.annotations["sightline.dev/min-events"]', 'must be a whole number of events, e.g. "100"'],
    ["min-events of 0", "checkout-availability.yaml", [[[...annotations, "sightline.dev/min-events"], "0"]], 'metadata.annotations["sightline.dev/min-events"]', "must be at least 1"],
    ["a service tag on a CloudWatch source", "checkout-availability.yaml", [[[...annotations, "sightline.dev/service-tag"], "checkout"]], 'metadata.annotations["sightline.dev/service-tag"]', "a CloudWatch metric source reads one function (FunctionName checkout-api)"],
    ["a function annotation that contradicts the metrics", "checkout-latency-p99.yaml", [[[...annotations, "sightline.dev/function"], "checkout-web"]], 'metadata.annotations["sightline.dev/function"]', "must match the metric's FunctionName (checkout-api); got checkout-web"],
    ["both a function and a service tag", "orders-service.yaml", [[[...annotations, "sightline.dev/service-tag"], "orders"]], 'metadata.annotations["sightline.dev/service-tag"]', "give sightline.dev/function or sightline.dev/service-tag, not both", 2, 1],
    ["no target for a Sightline source", "orders-service.yaml", [[[...annotations, "sightline.dev/service-tag"], DELETE]], "metadata.annotations", "name the target: add sightline.dev/function"],
    ["a function name Lambda would refuse", "orders-service.yaml", [[[...annotations, "sightline.dev/function"], "orders create!"]], 'metadata.annotations["sightline.dev/function"]', "must be a Lambda function name", 2, 1],
    ["a label with two values", "checkout-availability.yaml", [[["metadata", "labels", "tier"], ["tier-1", "tier-2"]]], "metadata.labels.tier", "Sightline labels hold one value; got 2 (tier-1, tier-2)"],
    ["a label name Sightline cannot store", "checkout-availability.yaml", [[["metadata", "labels", "cost centre"], "retail"]], 'metadata.labels["cost centre"]', "label names are 1-63 letters"],
    ["a Sightline source of the wrong kind", "orders-service.yaml", [[[...ratio, "bad", "metricSource", "spec", "source"], "datadog"]], "spec.indicator.spec.ratioMetric.bad.metricSource.spec.source", "must be cloudwatch or xray; got datadog"],
    ["a bad count marked good", "orders-service.yaml", [[[...ratio, "bad", "metricSource", "spec", "events"], "good"]], "spec.indicator.spec.ratioMetric.bad.metricSource.spec.events", "must be bad (this query is the ratioMetric's bad); got good"],
    ["X-Ray good and total of different SLIs", "orders-service.yaml", [[[...total, "spec", "sli"], "latency"]], "spec.indicator.spec.ratioMetric.total.metricSource.spec.sli", "must match bad (availability); got latency"],
    ["request latency without a threshold", "orders-service.yaml", [[[...good, "spec", "thresholdMs"], DELETE]], "spec.indicator.spec.ratioMetric.good.metricSource.spec.thresholdMs", "required: the latency in ms that a good request stays within", 2, 1],
    ["a negative latency threshold", "orders-service.yaml", [[[...good, "spec", "thresholdMs"], -5]], "spec.indicator.spec.ratioMetric.good.metricSource.spec.thresholdMs", "must be more than 0 ms", 2, 1],
    ["request latency from CloudWatch", "orders-service.yaml", [[[...good, "spec", "source"], "cloudwatch"], [[...total, "spec", "source"], "cloudwatch"]], "spec.indicator.spec.ratioMetric.good.metricSource.spec.source", "request-based latency is counted from X-Ray", 2, 1],
    ["period latency without a percentile", "orders-service.yaml", [[[...threshold, "spec", "percentile"], DELETE]], "spec.indicator.spec.thresholdMetric.metricSource.spec.percentile", "required: p50, p90 or p99", 3, 2],
    ["period latency from X-Ray", "orders-service.yaml", [[[...threshold, "spec", "source"], "xray"]], "spec.indicator.spec.thresholdMetric.metricSource.spec.source", "period-based latency reads CloudWatch Duration percentiles", 3, 2],
  ])("%s", (_name, file, edits, path, fragment, document = 1, index = 0) => {
    expect(errorsOf(edited(file, edits, index))).toEqual([{ document, path, message: expect.stringContaining(fragment) }]);
  });

  it("asks for the account annotation when the document has none and there is no usable default", () => {
    const result = parseOpenSloYaml(fixture("checkout-latency-p99.yaml"), { accountId: "", region: "us-east-1" });
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          document: 1,
          path: 'metadata.annotations["sightline.dev/account-id"]',
          message: 'required: set sightline.dev/account-id (the document has none, and the import default "" must be 12 digits)',
        },
      ],
    });
  });

  it("reports a YAML syntax error with its line and column", () => {
    const text = "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: checkout\n\tdisplayName: Checkout\n";
    expect(errorsOf(text)).toEqual([{ document: 1, path: "", message: "invalid YAML at line 5, column 1: Tabs are not allowed as indentation" }]);
  });

  it("reports a key written twice", () => {
    const text = fixture("checkout-latency-p99.yaml").replace("kind: SLO\n", "kind: SLO\nkind: SLO\n");
    expect(errorsOf(text)).toEqual([{ document: 1, path: "", message: expect.stringContaining("Map keys must be unique") }]);
  });

  it("refuses a YAML bomb instead of expanding it", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(", ")}]`);
    }
    expect(errorsOf(`${levels.join("\n")}\n`)).toEqual([{ document: 1, path: "", message: expect.stringContaining("YAML bomb") }]);
  });

  it.each([
    ["ASCII", "#".repeat(MAX_OPENSLO_BYTES + 1)],
    // Fewer characters than the limit, but two bytes each in UTF-8.
    ["multi-byte", `#${"é".repeat(MAX_OPENSLO_BYTES / 2)}`],
  ])("refuses a file over 1 MB (%s)", (_name, text) => {
    expect(errorsOf(text)).toEqual([{ document: 0, path: "", message: expect.stringContaining("larger than 1 MB") }]);
  });

  it("accepts a file of exactly 1 MB", () => {
    const text = fixture("checkout-latency-p99.yaml");
    const padded = text + "#".repeat(MAX_OPENSLO_BYTES - text.length - 1) + "\n";
    expect(importedFrom(padded).map((slo) => slo.id)).toEqual(["checkout-latency-p99"]);
  });

  it.each([
    ["an empty file", ""],
    ["a file of comments", "# nothing yet\n"],
  ])("says there is nothing to import in %s", (_name, text) => {
    expect(errorsOf(text)).toEqual([{ document: 0, path: "", message: "no SLO documents found: the file is empty" }]);
  });

  it("asks for separate documents instead of a list of SLOs", () => {
    const text = stringify([parse(fixture("checkout-latency-p99.yaml"))]);
    expect(errorsOf(text)).toEqual([{ document: 1, path: "", message: expect.stringContaining("got a list: put each SLO in its own YAML document") }]);
  });

  it("rejects the same id in two documents", () => {
    const text = `${fixture("checkout-latency-p99.yaml")}---\n${fixture("checkout-latency-p99.yaml")}`;
    expect(errorsOf(text)).toEqual([
      { document: 2, path: "metadata.name", message: "duplicate SLO id checkout-latency-p99: document 1 already defines it (ids must be unique)" },
    ]);
  });
});

describe("parseOpenSloYaml: several documents, all or nothing", () => {
  it("returns nothing when one of two documents is bad, and says which", () => {
    const bad = edited("checkout-availability.yaml", [[["spec", "timeWindow", 0, "duration"], "14d"]]);
    const result = parseOpenSloYaml(`${fixture("checkout-latency-p99.yaml")}---\n${bad}`, DEFAULTS);
    expect(result).toEqual({
      ok: false,
      errors: [{ document: 2, path: "spec.timeWindow[0].duration", message: expect.stringContaining("unsupported rolling window 14d") }],
    });
  });

  it("reports the problems of every document, each under its own number", () => {
    const text = [
      edited("checkout-latency-p99.yaml", [[["spec", "objectives", 0, "target"], 2]]),
      edited("checkout-availability.yaml", [[["kind"], "Service"]]),
      fixture("orders-service.yaml"),
    ].join("---\n");
    expect(errorsOf(text)).toEqual([
      { document: 1, path: "spec.objectives[0].targetPercent", message: "give target or targetPercent, not both" },
      { document: 2, path: "kind", message: "kind must be SLO; got Service (only SLO documents are imported)" },
    ]);
  });
});

describe("toOpenSloYaml", () => {
  it("writes a function's CloudWatch availability as OpenSLO v1 with CloudWatch metric math, keys in a fixed order", () => {
    const slo = aSlo({ description: "Checkout succeeds.", labels: { tier: "tier-1", team: "payments" } });
    expect(toOpenSloYaml([slo])).toBe(`---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-availability
  displayName: Checkout availability
  labels:
    team: payments
    tier: tier-1
  annotations:
    sightline.dev/account-id: "123456789012"
    sightline.dev/region: eu-west-1
    sightline.dev/function: checkout-api
    sightline.dev/alerting: enabled
    sightline.dev/min-events: "100"
spec:
  description: Checkout succeeds.
  service: checkout
  indicator:
    metadata:
      name: availability-cloudwatch
      displayName: availability (CloudWatch)
    spec:
      ratioMetric:
        counter: false
        good:
          metricSource:
            type: CloudWatch
            spec:
              region: eu-west-1
              json: |
                [
                  {"Id":"invocations","MetricStat":{"Metric":{"Namespace":"AWS/Lambda","MetricName":"Invocations","Dimensions":[{"Name":"FunctionName","Value":"checkout-api"}]},"Period":60,"Stat":"Sum"},"ReturnData":false},
                  {"Id":"errors","MetricStat":{"Metric":{"Namespace":"AWS/Lambda","MetricName":"Errors","Dimensions":[{"Name":"FunctionName","Value":"checkout-api"}]},"Period":60,"Stat":"Sum"},"ReturnData":false},
                  {"Id":"good","Expression":"invocations - errors","ReturnData":true}
                ]
        total:
          metricSource:
            type: CloudWatch
            spec:
              region: eu-west-1
              json: |
                [
                  {"Id":"invocations","MetricStat":{"Metric":{"Namespace":"AWS/Lambda","MetricName":"Invocations","Dimensions":[{"Name":"FunctionName","Value":"checkout-api"}]},"Period":60,"Stat":"Sum"},"ReturnData":false},
                  {"Id":"throttles","MetricStat":{"Metric":{"Namespace":"AWS/Lambda","MetricName":"Throttles","Dimensions":[{"Name":"FunctionName","Value":"checkout-api"}]},"Period":60,"Stat":"Sum"},"ReturnData":false},
                  {"Id":"total","Expression":"invocations + throttles","ReturnData":true}
                ]
  timeWindow:
    - duration: 28d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - target: 0.999
`);
  });

  it("writes period-based latency as a Timeslices thresholdMetric on the Duration percentile", () => {
    const slo = aSlo({
      indicator: { kind: "latency", method: "period", percentile: "p90", thresholdMs: 450 },
      window: { kind: "calendar", unit: "quarter" },
    });
    expect(parse(toOpenSloYaml([slo]))).toMatchObject({
      spec: {
        indicator: {
          spec: {
            thresholdMetric: {
              metricSource: {
                type: "CloudWatch",
                spec: { region: "eu-west-1", namespace: "AWS/Lambda", metricName: "Duration", stat: "p90", dimensions: [{ name: "FunctionName", value: "checkout-api" }] },
              },
            },
          },
        },
        timeWindow: [{ duration: "1Q", isRolling: false, calendar: { startTime: "2020-01-01 00:00:00", timeZone: "UTC" } }],
        budgetingMethod: "Timeslices",
        objectives: [{ op: "lte", value: 450, target: 0.999, timeSliceTarget: 1, timeSliceWindow: "1m" }],
      },
    });
  });

  it("names Sightline as the source of a service-tag target, which CloudWatch cannot select", () => {
    const slo = aSlo({ target: { kind: "service", service: "checkout" } });
    const doc = parse(toOpenSloYaml([slo])) as { metadata: { annotations: Record<string, string> }; spec: { indicator: { spec: unknown } } };
    expect(doc.metadata.annotations["sightline.dev/service-tag"]).toBe("checkout");
    expect(doc.spec.indicator.spec).toEqual({
      ratioMetric: {
        counter: false,
        good: { metricSource: { type: "Sightline", spec: { source: "cloudwatch", sli: "availability", events: "good" } } },
        total: { metricSource: { type: "Sightline", spec: { source: "cloudwatch", sli: "availability", events: "total" } } },
      },
    });
  });

  it("gives the same text whatever order the labels were added in", () => {
    const one = aSlo({ labels: { a: "1", b: "2", c: "3" } });
    const other = aSlo({ labels: { c: "3", a: "1", b: "2" } });
    expect(toOpenSloYaml([other])).toBe(toOpenSloYaml([one]));
  });

  it("writes nothing for no SLOs", () => {
    expect(toOpenSloYaml([])).toBe("");
  });
});

describe("round trip: parseOpenSloYaml(toOpenSloYaml(x)) equals x", () => {
  const targets: SloTarget[] = [
    { kind: "function", functionName: "checkout-api" },
    { kind: "service", service: `O'Brien "orders" & co: #1` },
  ];
  const indicators: SloIndicator[] = [
    { kind: "availability", source: "cloudwatch" },
    { kind: "availability", source: "xray" },
    { kind: "latency", method: "request", thresholdMs: 250.5 },
    { kind: "latency", method: "period", percentile: "p50", thresholdMs: 120 },
    { kind: "latency", method: "period", percentile: "p90", thresholdMs: 800 },
    { kind: "latency", method: "period", percentile: "p99", thresholdMs: 900_000 },
  ];
  const windows: SloWindow[] = [
    { kind: "rolling", days: 7 },
    { kind: "rolling", days: 28 },
    { kind: "rolling", days: 30 },
    { kind: "calendar", unit: "month" },
    { kind: "calendar", unit: "quarter" },
  ];
  const objectives = [0.999, 0.95, 0.99999, 0.5, 0.9995];
  const cases = targets.flatMap((target) =>
    indicators.flatMap((indicator) =>
      windows.map((window) => ({ target, indicator, window })),
    ),
  );
  const slos = cases.map(({ target, indicator, window }, i) =>
    aSlo({
      id: `slo-${i}`,
      name: `SLO ${i}: ${indicator.kind} # ${window.kind}`,
      description: i % 3 === 0 ? "" : `line one\nline two: "quoted" # not a comment ${i}`,
      service: i % 2 === 0 ? "checkout" : "yes",
      accountId: i % 2 === 0 ? "012345678901" : "123456789012",
      region: i % 2 === 0 ? "eu-west-1" : "ap-southeast-2",
      target,
      indicator,
      window,
      objective: objectives[i % objectives.length]!,
      alerting: { enabled: i % 4 !== 1, minEvents: 1 + i * 37 },
      labels: i % 5 === 0 ? {} : { team: "payments", "app.kubernetes.io/part-of": "shop", flag: "true", count: "010" },
    }),
  );

  it.each(slos.map((slo) => [`${slo.target.kind} × ${describeCase(slo)}`, slo] as const))("%s", (_name, slo) => {
    expect(parseOpenSloYaml(toOpenSloYaml([slo]), DEFAULTS)).toEqual({ ok: true, slos: [slo] });
  });

  it(`all ${slos.length} combinations in one multi-document file`, () => {
    expect(slos).toHaveLength(60);
    expect(parseOpenSloYaml(toOpenSloYaml(slos), DEFAULTS)).toEqual({ ok: true, slos });
  });
});

function describeCase(slo: SloSpec): string {
  const indicator = slo.indicator.kind === "availability" ? `availability ${slo.indicator.source}` : `latency ${slo.indicator.method}${slo.indicator.method === "period" ? ` ${slo.indicator.percentile}` : ""}`;
  const window = slo.window.kind === "rolling" ? `rolling ${slo.window.days}d` : `calendar ${slo.window.unit}`;
  return `${indicator} × ${window}`;
}
