import { LineCounter, parseAllDocuments, stringify, type YAMLError } from "yaml";
import type { z } from "zod";
import {
  BUDGETING_METHODS,
  CloudWatchMetricSourceSpecSchema,
  MetricDataQueriesSchema,
  OPENSLO_API_VERSION,
  OPENSLO_SLO_KIND,
  OpenSloSloDocumentSchema,
  SightlineMetricSourceSpecSchema,
  type MetricDataQuery,
  type OpenSloMetricSpec,
  type OpenSloObjective,
  type OpenSloRatioMetric,
  type OpenSloSloDocument,
  type OpenSloSloSpec,
  type OpenSloTimeWindow,
  type SightlineMetricSourceSpec,
} from "@/lib/domain/slo/openslo-schema";
import {
  DEFAULT_MIN_EVENTS,
  LATENCY_PERCENTILES,
  SloSpecSchema,
  describeIndicator,
  type SloIndicator,
  type SloSpec,
  type SloTarget,
  type SloWindow,
} from "@/lib/domain/slo/slo-definition";
import { countYamlAliases, duplicateYamlKeys, yamlNestingProblem } from "@/lib/domain/shared/yaml-guard";

/**
 * OpenSLO v1 import and export for Sightline SLOs: pure text ⇄ SloSpec, no I/O.
 *
 * Sources for the field names (quoted exactly): OpenSLO/OpenSLO `README.md` (v1) and
 * `examples/budgeting-method/README.md`, OpenSLO/go-sdk `pkg/openslo/v1/slo.go` and `sli.go`,
 * and the CloudWatch metric source spec as OpenSLO/oslo `internal/pkg/convert/convert.go`
 * reads it (see openslo-schema.ts).
 *
 * | Sightline (SloSpec)               | OpenSLO v1 (`apiVersion: openslo/v1`, `kind: SLO`)                                    |
 * |-----------------------------------|---------------------------------------------------------------------------------------|
 * | id                                | `metadata.name`                                                                       |
 * | name                              | `metadata.displayName` (import: `metadata.name` when absent)                          |
 * | description                       | `spec.description` (left out when empty)                                              |
 * | service                           | `spec.service`                                                                        |
 * | labels                            | `metadata.labels` (one string per key; a one-item list is accepted)                   |
 * | accountId                         | annotation `sightline.dev/account-id` (import default: `defaults.accountId`)          |
 * | region                            | annotation `sightline.dev/region`, also the CloudWatch spec's `region` (default: `defaults.region`) |
 * | target function                   | annotation `sightline.dev/function`; CloudWatch sources: dimension `FunctionName`     |
 * | target service tag                | annotation `sightline.dev/service-tag` (sources are then `type: Sightline`, below)     |
 * | alerting.enabled / minEvents      | annotations `sightline.dev/alerting` (`enabled` or `disabled`), `sightline.dev/min-events` (e.g. `"100"`) |
 * | objective                         | `spec.objectives[0].target` (import also `targetPercent` / 100); exactly one objective |
 * | window rolling 7/28/30 d          | `timeWindow: [{duration: 7d, isRolling: true}]` (28d, 30d; import also 1w, 4w)           |
 * | window calendar month / quarter   | `timeWindow: [{duration: 1M, isRolling: false, calendar: {startTime: 2020-01-01 00:00:00, timeZone: UTC}}]` (quarter: 1Q; import also 3M; startTime must start a month or quarter) |
 * | availability, CloudWatch, function| `budgetingMethod: Occurrences`, `ratioMetric` good/total, each `metricSource: {type: CloudWatch, spec: {region, json}}` with `json` the GetMetricData metric math: good = invocations − errors, total = invocations + throttles (Sum, Period 60, Dimensions FunctionName); import also bad = errors + throttles |
 * | availability, CloudWatch, service | as above with `type: Sightline`, `spec: {source: cloudwatch, sli: availability, events: good}` (total: `events: total`) |
 * | availability, X-Ray               | Occurrences, ratioMetric, `type: Sightline`, `spec: {source: xray, sli: availability, events}` |
 * | latency, request-based (X-Ray)    | Occurrences, ratioMetric, `type: Sightline`, good `spec: {source: xray, sli: latency, events: good, thresholdMs}`, total `{…, events: total}` |
 * | latency, period-based, function   | `budgetingMethod: Timeslices`, `thresholdMetric` `{type: CloudWatch, spec: {region, namespace: AWS/Lambda, metricName: Duration, stat: p99, dimensions: [{name: FunctionName, value}]}}`, objective `{op: lte, value: thresholdMs, target: objective, timeSliceTarget: 1, timeSliceWindow: 1m}` |
 * | latency, period-based, service    | as above with `type: Sightline`, `spec: {source: cloudwatch, sli: latency, percentile}` |
 *
 * Why these choices:
 * - A service-tag target has no CloudWatch expression: AWS/Lambda metrics carry no tag
 *   dimension, and Metrics Insights (`WHERE tag.service = …`) allows one query per
 *   GetMetricData call (good needs two metrics) and has no percentiles. So those SLOs name
 *   Sightline as the source, and Sightline resolves the tagged functions from its inventory.
 * - Timeslices: OpenSLO's `target` is the share of good slices and `timeSliceTarget` the share
 *   of good data points a slice needs (examples/budgeting-method/README.md). A one-minute
 *   slice holds one Duration percentile, so Sightline's objective is `target`; any
 *   `timeSliceTarget` in (0, 1] means the same, and export writes 1.
 * - `counter: false`: CloudWatch Sums per period and Sightline's hourly X-Ray counts are counts
 *   per interval, not monotonically increasing counters. Import accepts either value: Sightline
 *   knows how its sources count.
 * - Everything else is rejected with a path and a reason (unknown fields, other kinds and
 *   apiVersions, indicatorRef, raw ratios, composite or several objectives, alert policies,
 *   windows Sightline cannot evaluate, metric sources or expressions it does not recognise),
 *   and an import is all or nothing.
 */

/** One problem the import found; the import returns every one of them and no SLOs. */
export interface OpenSloImportError {
  /** Where in the document, e.g. `spec.objectives[0].target`; "" for the document (or file) as a whole. */
  path: string;
  /** What is wrong and what to do, for a person. */
  message: string;
  /** 1-based position of the YAML document in the file; 0 for the file as a whole. */
  document: number;
}

export type OpenSloImportResult = { ok: true; slos: SloSpec[] } | { ok: false; errors: OpenSloImportError[] };

/** Where an imported SLO lives when its document does not say (no Sightline annotations). */
export interface OpenSloImportDefaults {
  accountId: string;
  region: string;
}

/** The largest file Sightline imports in one go (1 MB). */
export const MAX_OPENSLO_BYTES = 1_048_576;
/** Alias expansions allowed per document (the yaml library's guard against "billion laughs"). */
const MAX_YAML_ALIAS_COUNT = 100;

/** Sightline's own annotations (metadata.annotations); other prefixes belong to other tools and are ignored. */
export const SIGHTLINE_ANNOTATIONS = {
  accountId: "sightline.dev/account-id",
  region: "sightline.dev/region",
  functionName: "sightline.dev/function",
  serviceTag: "sightline.dev/service-tag",
  alerting: "sightline.dev/alerting",
  minEvents: "sightline.dev/min-events",
} as const;
const SIGHTLINE_ANNOTATION_PREFIX = "sightline.dev/";

/** A calendar window's alignment point: a month and quarter start, in UTC. */
const CALENDAR_START_TIME = "2020-01-01 00:00:00";
const LAMBDA_NAMESPACE = "AWS/Lambda";
const LAMBDA_METRICS = ["Invocations", "Errors", "Throttles", "Duration"] as const;
const PERIOD_SECONDS = 60;

type Path = readonly (string | number)[];
interface Issue {
  path: Path;
  message: string;
}
interface Located<T> {
  value: T;
  path: Path;
}
type Converted = { ok: true; spec: SloSpec } | { ok: false; issues: Issue[] };

/**
 * Reads OpenSLO v1 YAML (one or several `---`-separated documents, each `kind: SLO`) into
 * Sightline SLO specs. All or nothing: any problem in any document returns every problem found,
 * each with its document and field path, and no SLOs. Defaults supply the account and region
 * when a document has no Sightline annotations for them.
 */
export function parseOpenSloYaml(text: string, defaults: OpenSloImportDefaults): OpenSloImportResult {
  if (utf8Length(text) > MAX_OPENSLO_BYTES) {
    const message = `the file is larger than 1 MB (${MAX_OPENSLO_BYTES.toLocaleString("en-US")} bytes): split it into smaller files`;
    return { ok: false, errors: [{ document: 0, path: "", message }] };
  }
  const nesting = yamlNestingProblem(text);
  if (nesting !== null) return { ok: false, errors: [{ document: 0, path: "", message: `the YAML is nested too deeply to import: ${nesting}` }] };
  const lineCounter = new LineCounter();
  // uniqueKeys off: the library's check is quadratic in the keys of a mapping; duplicateYamlKeys does it below.
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false, schema: "core" });
  const errors: OpenSloImportError[] = [];
  const imported: { spec: SloSpec; document: number }[] = [];

  documents.forEach((doc, index) => {
    const document = index + 1;
    const report = (issues: readonly Issue[]) => {
      for (const issue of issues) errors.push({ document, path: formatPath(issue.path), message: issue.message });
    };
    const yamlProblems = [...doc.errors, ...doc.warnings];
    if (yamlProblems.length > 0) {
      report(yamlProblems.map((problem) => ({ path: [], message: yamlMessage(problem, lineCounter) })));
      return;
    }
    const duplicates = duplicateYamlKeys(doc);
    if (duplicates.length > 0) {
      report(
        duplicates.map(({ offset, key }) => {
          const { line, col } = lineCounter.linePos(offset);
          return { path: [], message: `invalid YAML at line ${line}, column ${col}: Map keys must be unique (${key} is repeated)` };
        }),
      );
      return;
    }
    // Counted before expanding: an alias-heavy document is refused without resolving any (resolution is quadratic in the aliases).
    const aliases = countYamlAliases(doc);
    if (aliases > MAX_YAML_ALIAS_COUNT) {
      report([{ path: [], message: `too many YAML aliases (${aliases}, at most ${MAX_YAML_ALIAS_COUNT}): the document looks like a YAML bomb, so nothing was imported` }]);
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT });
    } catch (error) {
      const message =
        error instanceof ReferenceError
          ? `too many YAML alias expansions (more than ${MAX_YAML_ALIAS_COUNT}): the document looks like a YAML bomb, so nothing was imported`
          : `cannot read the YAML: ${error instanceof Error ? error.message : String(error)}`;
      report([{ path: [], message }]);
      return;
    }
    // A stray `---` at the end (or a document of comments only) holds nothing to import.
    if (value === null || value === undefined) return;
    const converted = fromOpenSloDocument(value, defaults);
    if (converted.ok) imported.push({ spec: converted.spec, document });
    else report(converted.issues);
  });

  if (errors.length === 0 && imported.length === 0) {
    errors.push({ document: 0, path: "", message: "no SLO documents found: the file is empty" });
  }
  const firstDocumentOf = new Map<string, number>();
  for (const { spec, document } of imported) {
    const first = firstDocumentOf.get(spec.id);
    if (first === undefined) firstDocumentOf.set(spec.id, document);
    else {
      errors.push({
        document,
        path: "metadata.name",
        message: `duplicate SLO id ${spec.id}: document ${first} already defines it (ids must be unique)`,
      });
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, slos: imported.map((i) => i.spec) };
}

/**
 * One OpenSLO document, already read from YAML or JSON into plain data, as a SloSpec — or the
 * problems with it, each with the OpenSLO field path it concerns.
 */
function fromOpenSloDocument(value: unknown, defaults: OpenSloImportDefaults): Converted {
  if (!isRecord(value)) {
    const message = Array.isArray(value)
      ? "expected an OpenSLO document (a mapping with apiVersion, kind, metadata and spec); got a list: put each SLO in its own YAML document, separated by ---"
      : `expected an OpenSLO document (a mapping with apiVersion, kind, metadata and spec); got ${describeValue(value)}`;
    return { ok: false, issues: [{ path: [], message }] };
  }
  const head: Issue[] = [];
  if (value.apiVersion !== OPENSLO_API_VERSION) {
    head.push({
      path: ["apiVersion"],
      message:
        value.apiVersion === undefined
          ? `required: apiVersion must be ${OPENSLO_API_VERSION}`
          : `apiVersion must be ${OPENSLO_API_VERSION}; got ${display(value.apiVersion)}`,
    });
  }
  if (value.kind !== OPENSLO_SLO_KIND) {
    head.push({
      path: ["kind"],
      message:
        value.kind === undefined
          ? "required: kind must be SLO"
          : `kind must be SLO; got ${display(value.kind)} (only SLO documents are imported)`,
    });
  }
  // Another kind or version has another shape: its field errors would only be noise.
  if (head.length > 0) return { ok: false, issues: head };
  const parsed = OpenSloSloDocumentSchema.safeParse(value, { error: openSloErrorMap });
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error, []) };
  return toSloSpec(parsed.data, defaults);
}

/**
 * Writes SLOs as OpenSLO v1 YAML: one `---` document per SLO, keys in a fixed order, so the
 * same SLOs always give the same text and parseOpenSloYaml reads them back unchanged.
 */
export function toOpenSloYaml(slos: readonly SloSpec[]): string {
  return slos
    .map((slo) => `---\n${stringify(toOpenSloDocument(slo), { lineWidth: 0, aliasDuplicateObjects: false })}`)
    .join("");
}

/** One SLO as an OpenSLO v1 document (plain data, keys in the order the YAML shows them). */
function toOpenSloDocument(slo: SloSpec): Record<string, unknown> {
  const annotations: Record<string, string> = {
    [SIGHTLINE_ANNOTATIONS.accountId]: slo.accountId,
    [SIGHTLINE_ANNOTATIONS.region]: slo.region,
    ...(slo.target.kind === "function"
      ? { [SIGHTLINE_ANNOTATIONS.functionName]: slo.target.functionName }
      : { [SIGHTLINE_ANNOTATIONS.serviceTag]: slo.target.service }),
    [SIGHTLINE_ANNOTATIONS.alerting]: slo.alerting.enabled ? "enabled" : "disabled",
    [SIGHTLINE_ANNOTATIONS.minEvents]: String(slo.alerting.minEvents),
  };
  const labelKeys = Object.keys(slo.labels).sort();
  const metadata = {
    name: slo.id,
    displayName: slo.name,
    ...(labelKeys.length > 0 ? { labels: Object.fromEntries(labelKeys.map((key) => [key, slo.labels[key]])) } : {}),
    annotations,
  };
  const { sli, budgetingMethod, objective } = exportIndicator(slo);
  return {
    apiVersion: OPENSLO_API_VERSION,
    kind: OPENSLO_SLO_KIND,
    metadata,
    spec: {
      ...(slo.description !== "" ? { description: slo.description } : {}),
      service: slo.service,
      indicator: {
        metadata: { name: indicatorName(slo.indicator), displayName: describeIndicator(slo.indicator) },
        spec: sli,
      },
      timeWindow: [exportWindow(slo.window)],
      budgetingMethod,
      objectives: [objective],
    },
  };
}

// ───────────────────────────── export helpers ─────────────────────────────

function exportIndicator(slo: SloSpec): { sli: Record<string, unknown>; budgetingMethod: string; objective: Record<string, unknown> } {
  const { indicator, target, region } = slo;
  const occurrences = (ratioMetric: Record<string, unknown>) => ({
    sli: { ratioMetric },
    budgetingMethod: "Occurrences",
    objective: { target: slo.objective },
  });
  if (indicator.kind === "availability") {
    if (indicator.source === "cloudwatch" && target.kind === "function") {
      const fn = target.functionName;
      return occurrences({
        counter: false,
        good: cloudWatchMetricSpec(region, { json: metricMathJson([countQuery("invocations", "Invocations", fn), countQuery("errors", "Errors", fn), expressionQuery("good", "invocations - errors")]) }),
        total: cloudWatchMetricSpec(region, { json: metricMathJson([countQuery("invocations", "Invocations", fn), countQuery("throttles", "Throttles", fn), expressionQuery("total", "invocations + throttles")]) }),
      });
    }
    return occurrences({
      counter: false,
      good: sightlineMetricSpec({ source: indicator.source, sli: "availability", events: "good" }),
      total: sightlineMetricSpec({ source: indicator.source, sli: "availability", events: "total" }),
    });
  }
  if (indicator.method === "request") {
    return occurrences({
      counter: false,
      good: sightlineMetricSpec({ source: "xray", sli: "latency", events: "good", thresholdMs: indicator.thresholdMs }),
      total: sightlineMetricSpec({ source: "xray", sli: "latency", events: "total" }),
    });
  }
  const thresholdMetric =
    target.kind === "function"
      ? cloudWatchMetricSpec(region, {
          namespace: LAMBDA_NAMESPACE,
          metricName: "Duration",
          stat: indicator.percentile,
          dimensions: [{ name: "FunctionName", value: target.functionName }],
        })
      : sightlineMetricSpec({ source: "cloudwatch", sli: "latency", percentile: indicator.percentile });
  return {
    sli: { thresholdMetric },
    budgetingMethod: "Timeslices",
    objective: { op: "lte", value: indicator.thresholdMs, target: slo.objective, timeSliceTarget: 1, timeSliceWindow: "1m" },
  };
}

function cloudWatchMetricSpec(region: string, spec: Record<string, unknown>) {
  return { metricSource: { type: "CloudWatch", spec: { region, ...spec } } };
}

function sightlineMetricSpec(spec: SightlineMetricSourceSpec) {
  return { metricSource: { type: "Sightline", spec } };
}

function countQuery(id: string, metricName: string, functionName: string): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: { Namespace: LAMBDA_NAMESPACE, MetricName: metricName, Dimensions: [{ Name: "FunctionName", Value: functionName }] },
      Period: PERIOD_SECONDS,
      Stat: "Sum",
    },
    ReturnData: false,
  };
}

function expressionQuery(id: string, expression: string): MetricDataQuery {
  return { Id: id, Expression: expression, ReturnData: true };
}

/** One query per line: readable in the YAML block, still one JSON array. */
function metricMathJson(queries: readonly MetricDataQuery[]): string {
  return `[\n${queries.map((q) => `  ${JSON.stringify(q)}`).join(",\n")}\n]\n`;
}

function indicatorName(indicator: SloIndicator): string {
  if (indicator.kind === "availability") return `availability-${indicator.source}`;
  return indicator.method === "request" ? "latency-requests" : `latency-${indicator.percentile}-minutes`;
}

function exportWindow(window: SloWindow): Record<string, unknown> {
  if (window.kind === "rolling") return { duration: `${window.days}d`, isRolling: true };
  return {
    duration: window.unit === "month" ? "1M" : "1Q",
    isRolling: false,
    calendar: { startTime: CALENDAR_START_TIME, timeZone: "UTC" },
  };
}

// ───────────────────────────── import: mapping ─────────────────────────────

interface SightlineAnnotations {
  accountId?: Located<string>;
  region?: Located<string>;
  functionName?: Located<string>;
  serviceTag?: Located<string>;
  alertingEnabled?: boolean;
  minEvents?: Located<number>;
}

interface IndicatorRead {
  indicator: SloIndicator;
  /** Where thresholdMs came from (for the final validation's messages). */
  thresholdPath?: Path;
  /** CloudWatch sources read one function: its FunctionName. */
  metricFunction?: Located<string>;
  regions: Located<string>[];
  accountIds: Located<string>[];
}

interface ObjectiveRead {
  entry: { value: OpenSloObjective; path: Path };
  objective?: Located<number>;
}

const annotationPath = (key: string): Path => ["metadata", "annotations", key];

function toSloSpec(doc: OpenSloSloDocument, defaults: OpenSloImportDefaults): Converted {
  const issues: Issue[] = [];
  const annotations = readAnnotations(doc.metadata.annotations ?? {}, issues);
  const labels = readLabels(doc.metadata.labels ?? {}, issues);
  const window = readWindow(doc.spec.timeWindow, issues);
  const objective = readObjective(doc.spec.objectives, issues);
  const indicator = readIndicator(doc.spec, objective?.entry, issues);
  const target = indicator && resolveTarget(annotations, indicator, issues);
  const region = resolveLocation(annotations.region, indicator?.regions ?? [], SIGHTLINE_ANNOTATIONS.region, defaults.region, issues);
  const accountId = resolveLocation(annotations.accountId, indicator?.accountIds ?? [], SIGHTLINE_ANNOTATIONS.accountId, defaults.accountId, issues);
  if (issues.length > 0 || !window || !objective?.objective || !indicator || !target) {
    return { ok: false, issues: issues.length > 0 ? issues : [{ path: [], message: "cannot import this SLO" }] };
  }

  const candidate = {
    id: doc.metadata.name,
    name: doc.metadata.displayName ?? doc.metadata.name,
    description: doc.spec.description ?? "",
    service: doc.spec.service,
    accountId: accountId.value,
    region: region.value,
    target: target.value,
    indicator: indicator.indicator,
    objective: objective.objective.value,
    window,
    alerting: { enabled: annotations.alertingEnabled ?? true, minEvents: annotations.minEvents?.value ?? DEFAULT_MIN_EVENTS },
    labels,
  };
  const parsed = SloSpecSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, spec: parsed.data };

  // Sightline's own rules (id pattern, function name, ranges) speak of SloSpec fields: point
  // each at the OpenSLO field the value came from.
  const origins: Record<string, Path> = {
    id: ["metadata", "name"],
    name: doc.metadata.displayName != null ? ["metadata", "displayName"] : ["metadata", "name"],
    description: ["spec", "description"],
    service: ["spec", "service"],
    accountId: accountId.path,
    region: region.path,
    target: target.path,
    indicator: indicator.thresholdPath ?? ["spec", "indicator"],
    objective: objective.objective.path,
    window: ["spec", "timeWindow", 0],
    alerting: annotations.minEvents?.path ?? annotationPath(SIGHTLINE_ANNOTATIONS.minEvents),
  };
  return {
    ok: false,
    issues: zodIssues(parsed.error, []).map(({ path, message }) => {
      const [head, ...rest] = path;
      if (head === "labels") return { path: ["metadata", "labels", ...rest], message };
      const fallback = head === "accountId" ? accountId : head === "region" ? region : undefined;
      if (fallback?.fromDefault) {
        // The document did not say and the caller's default is unusable: ask for the annotation.
        const key = head === "accountId" ? SIGHTLINE_ANNOTATIONS.accountId : SIGHTLINE_ANNOTATIONS.region;
        return { path: fallback.path, message: `required: set ${key} (the document has none, and the import default ${JSON.stringify(fallback.value)} ${message})` };
      }
      const origin = typeof head === "string" ? origins[head] : undefined;
      return { path: origin ?? path, message };
    }),
  };
}

function readAnnotations(annotations: Record<string, unknown>, issues: Issue[]): SightlineAnnotations {
  const known = new Set<string>(Object.values(SIGHTLINE_ANNOTATIONS));
  const read: SightlineAnnotations = {};
  for (const [key, value] of Object.entries(annotations)) {
    if (!key.startsWith(SIGHTLINE_ANNOTATION_PREFIX)) continue;
    const path = annotationPath(key);
    if (!known.has(key)) {
      issues.push({ path, message: `unknown Sightline annotation; Sightline reads ${[...known].join(", ")}` });
      continue;
    }
    if (typeof value !== "string") {
      issues.push({ path, message: `must be a string (quote it in YAML); got ${describeValue(value)}` });
      continue;
    }
    switch (key) {
      case SIGHTLINE_ANNOTATIONS.accountId:
        read.accountId = { value, path };
        break;
      case SIGHTLINE_ANNOTATIONS.region:
        read.region = { value, path };
        break;
      case SIGHTLINE_ANNOTATIONS.functionName:
        read.functionName = { value, path };
        break;
      case SIGHTLINE_ANNOTATIONS.serviceTag:
        read.serviceTag = { value, path };
        break;
      case SIGHTLINE_ANNOTATIONS.alerting:
        if (value === "enabled" || value === "disabled") read.alertingEnabled = value === "enabled";
        else issues.push({ path, message: `must be enabled or disabled; got ${value}` });
        break;
      case SIGHTLINE_ANNOTATIONS.minEvents:
        if (/^\d{1,10}$/.test(value)) read.minEvents = { value: Number(value), path };
        else issues.push({ path, message: `must be a whole number of events, e.g. "100"; got ${value}` });
        break;
    }
  }
  if (read.functionName && read.serviceTag) {
    issues.push({
      path: read.serviceTag.path,
      message: `give ${SIGHTLINE_ANNOTATIONS.functionName} or ${SIGHTLINE_ANNOTATIONS.serviceTag}, not both`,
    });
  }
  return read;
}

function readLabels(labels: Record<string, unknown>, issues: Issue[]): Record<string, string> {
  const read: [string, string][] = [];
  for (const [key, value] of Object.entries(labels)) {
    const path: Path = ["metadata", "labels", key];
    if (key === "__proto__") {
      issues.push({ path, message: "__proto__ is a reserved name: rename the label" });
    } else if (typeof value === "string") {
      read.push([key, value]);
    } else if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
      // OpenSLO allows a list of values per label; Sightline labels hold one.
      if (value.length === 1) read.push([key, value[0] as string]);
      else if (value.length === 0) issues.push({ path, message: "must hold a value" });
      else issues.push({ path, message: `Sightline labels hold one value; got ${value.length} (${value.join(", ")})` });
    } else {
      issues.push({ path, message: `must be a string or a list of one string (quote it in YAML); got ${describeValue(value)}` });
    }
  }
  return Object.fromEntries(read);
}

const ROLLING_DURATIONS: Record<string, 7 | 28 | 30> = { "7d": 7, "1w": 7, "28d": 28, "4w": 28, "30d": 30 };
const CALENDAR_DURATIONS: Record<string, "month" | "quarter"> = { "1M": "month", "1Q": "quarter", "3M": "quarter" };
const DURATION_SHORTHAND = /^[1-9]\d*[mhdwMQY]$/;
const WINDOWS_SUPPORTED = "Sightline evaluates rolling 7d, 28d or 30d windows and calendar months (1M) or quarters (1Q)";

function readWindow(timeWindow: readonly OpenSloTimeWindow[] | null | undefined, issues: Issue[]): SloWindow | undefined {
  const base: Path = ["spec", "timeWindow"];
  if (!timeWindow) {
    issues.push({ path: base, message: `required: ${WINDOWS_SUPPORTED}` });
    return undefined;
  }
  const window = timeWindow[0];
  if (timeWindow.length !== 1 || !window) {
    issues.push({ path: base, message: `must hold exactly one time window; got ${timeWindow.length}` });
    return undefined;
  }
  const path: Path = [...base, 0];
  const { duration, calendar, isRolling } = window;
  if (!DURATION_SHORTHAND.test(duration)) {
    issues.push({ path: [...path, "duration"], message: `must be a duration like 28d or 1M (a number and one of m h d w M Q Y); got ${duration}` });
    return undefined;
  }
  if (!calendar) {
    if (isRolling !== true) {
      issues.push({
        path: [...path, "isRolling"],
        message: "a window without calendar must be rolling (isRolling: true); a calendar window needs calendar: {startTime, timeZone: UTC}",
      });
      return undefined;
    }
    const days = ROLLING_DURATIONS[duration];
    if (days === undefined) {
      issues.push({ path: [...path, "duration"], message: `unsupported rolling window ${duration}: ${WINDOWS_SUPPORTED}` });
      return undefined;
    }
    return { kind: "rolling", days };
  }
  let ok = true;
  if (isRolling === true) {
    issues.push({ path: [...path, "isRolling"], message: "must be false (or left out) for a calendar window" });
    ok = false;
  }
  const unit = CALENDAR_DURATIONS[duration];
  if (unit === undefined) {
    issues.push({ path: [...path, "duration"], message: `unsupported calendar window ${duration}: ${WINDOWS_SUPPORTED}` });
    ok = false;
  }
  if (calendar.timeZone !== "UTC" && calendar.timeZone !== "Etc/UTC") {
    issues.push({
      path: [...path, "calendar", "timeZone"],
      message: `Sightline's calendar months and quarters are UTC; got ${calendar.timeZone} (use UTC)`,
    });
    ok = false;
  }
  const start = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(calendar.startTime);
  if (!start) {
    issues.push({ path: [...path, "calendar", "startTime"], message: `must be a date and time like ${CALENDAR_START_TIME}; got ${calendar.startTime}` });
    ok = false;
  } else if (unit !== undefined) {
    const [, , month, day, hh, mm, ss] = start;
    const monthStart = day === "01" && hh === "00" && mm === "00" && ss === "00" && Number(month) >= 1 && Number(month) <= 12;
    const quarterStart = monthStart && (Number(month) - 1) % 3 === 0;
    if (unit === "month" ? !monthStart : !quarterStart) {
      issues.push({
        path: [...path, "calendar", "startTime"],
        message:
          unit === "month"
            ? `must start a calendar month (the 1st at 00:00:00, e.g. ${CALENDAR_START_TIME}); got ${calendar.startTime}`
            : `must start a calendar quarter (January, April, July or October 1st at 00:00:00); got ${calendar.startTime}`,
      });
      ok = false;
    }
  }
  return ok && unit !== undefined ? { kind: "calendar", unit } : undefined;
}

function readObjective(objectives: readonly OpenSloObjective[], issues: Issue[]): ObjectiveRead | undefined {
  const base: Path = ["spec", "objectives"];
  const first = objectives[0];
  if (!first) {
    issues.push({ path: base, message: "needs one objective with a target (e.g. target: 0.999)" });
    return undefined;
  }
  if (objectives.length > 1) {
    issues.push({
      path: base,
      message: `Sightline evaluates one objective per SLO; got ${objectives.length}: split them into separate SLO documents`,
    });
  }
  const entry = { value: first, path: [...base, 0] };
  const { target, targetPercent } = first;
  if (target != null && targetPercent != null) {
    issues.push({ path: [...entry.path, "targetPercent"], message: "give target or targetPercent, not both" });
    return { entry };
  }
  if (target != null) return { entry, objective: { value: target, path: [...entry.path, "target"] } };
  if (targetPercent != null) {
    const path: Path = [...entry.path, "targetPercent"];
    if (!(targetPercent > 0)) issues.push({ path, message: "must be more than 0 (a percentage, e.g. 99.9)" });
    else if (!(targetPercent < 100)) issues.push({ path, message: "must be less than 100 (a percentage, e.g. 99.9)" });
    // 99.9 / 100 is 0.9990000000000001 in binary floating point: keep 12 significant digits.
    else return { entry, objective: { value: Number((targetPercent / 100).toPrecision(12)), path } };
    return { entry };
  }
  issues.push({ path: entry.path, message: "needs target (a ratio such as 0.999) or targetPercent (such as 99.9)" });
  return { entry };
}

function readIndicator(spec: OpenSloSloSpec, objective: ObjectiveRead["entry"] | undefined, issues: Issue[]): IndicatorRead | undefined {
  const indicator = spec.indicator;
  if (!indicator) {
    issues.push({ path: ["spec", "indicator"], message: "required: inline the indicator (metadata, and spec with a ratioMetric or thresholdMetric)" });
    return undefined;
  }
  const base: Path = ["spec", "indicator", "spec"];
  const methodPath: Path = ["spec", "budgetingMethod"];
  const method = spec.budgetingMethod;
  const methodKnown = (BUDGETING_METHODS as readonly string[]).includes(method);
  if (!methodKnown) issues.push({ path: methodPath, message: `must be Occurrences, Timeslices or RatioTimeslices; got ${method}` });
  const { ratioMetric, thresholdMetric } = indicator.spec;
  if (ratioMetric && thresholdMetric) {
    issues.push({ path: base, message: "give either ratioMetric or thresholdMetric, not both" });
    return undefined;
  }
  if (ratioMetric) {
    if (methodKnown && method !== "Occurrences") {
      issues.push({ path: methodPath, message: `must be Occurrences for a ratioMetric indicator (Sightline counts good events against all events); got ${method}` });
    } else if (objective) {
      for (const field of ["op", "value", "timeSliceTarget", "timeSliceWindow"] as const) {
        if (objective.value[field] != null) {
          issues.push({ path: [...objective.path, field], message: "only used with a thresholdMetric indicator (budgetingMethod Timeslices): remove it" });
        }
      }
    }
    return readRatio(ratioMetric, [...base, "ratioMetric"], issues);
  }
  if (thresholdMetric) {
    if (methodKnown && method !== "Timeslices") {
      issues.push({
        path: methodPath,
        message: `must be Timeslices for a thresholdMetric indicator (Sightline counts good minutes: a minute is good when its Duration percentile is at most the objective's value); got ${method}`,
      });
    }
    return readThreshold(thresholdMetric, [...base, "thresholdMetric"], objective, issues);
  }
  issues.push({ path: base, message: "needs a ratioMetric (good or bad, and total) or a thresholdMetric" });
  return undefined;
}

type MetricSourceRead =
  | { type: "cloudwatch"; cloudWatch: CloudWatchRead }
  | { type: "sightline"; spec: SightlineMetricSourceSpec; specPath: Path };

function readRatio(ratio: OpenSloRatioMetric, path: Path, issues: Issue[]): IndicatorRead | undefined {
  if (ratio.good && ratio.bad) {
    issues.push({ path: [...path, "bad"], message: "give good or bad, not both" });
    return undefined;
  }
  const role = ratio.good ? "good" : ratio.bad ? "bad" : undefined;
  const numeratorSpec = ratio.good ?? ratio.bad;
  if (!role || !numeratorSpec) issues.push({ path, message: "needs good (or bad) and total" });
  if (!ratio.total) issues.push({ path: [...path, "total"], message: "required: the count of all events" });
  if (!role || !numeratorSpec || !ratio.total) return undefined;
  const numerator = readMetricSource(numeratorSpec, [...path, role], issues);
  const total = readMetricSource(ratio.total, [...path, "total"], issues);
  if (!numerator || !total) return undefined;
  if (numerator.type === "cloudwatch" && total.type === "cloudwatch") {
    return readCloudWatchAvailability(role, numerator.cloudWatch, total.cloudWatch, issues);
  }
  if (numerator.type === "sightline" && total.type === "sightline") return readSightlineRatio(role, numerator, total, issues);
  issues.push({
    path: [...path, "total", "metricSource", "type"],
    message: `must be the same metric source type as ${role} (${numerator.type === "cloudwatch" ? "CloudWatch" : "Sightline"})`,
  });
  return undefined;
}

function readMetricSource(metric: OpenSloMetricSpec, path: Path, issues: Issue[]): MetricSourceRead | undefined {
  const sourcePath: Path = [...path, "metricSource"];
  const source = metric.metricSource;
  const type = source.type?.trim();
  if (!type) {
    issues.push({
      path: [...sourcePath, "type"],
      message: source.metricSourceRef
        ? `required: Sightline does not resolve DataSource references (metricSourceRef ${source.metricSourceRef}); name the type (CloudWatch or Sightline)`
        : "required: CloudWatch or Sightline",
    });
    return undefined;
  }
  const specPath: Path = [...sourcePath, "spec"];
  switch (type.toLowerCase()) {
    case "cloudwatch": {
      const cloudWatch = readCloudWatchSpec(source.spec, specPath, issues);
      return cloudWatch && { type: "cloudwatch", cloudWatch };
    }
    case "sightline": {
      const parsed = SightlineMetricSourceSpecSchema.safeParse(source.spec, { error: openSloErrorMap });
      if (!parsed.success) {
        issues.push(...zodIssues(parsed.error, specPath));
        return undefined;
      }
      return { type: "sightline", spec: parsed.data, specPath };
    }
    default:
      issues.push({
        path: [...sourcePath, "type"],
        message: `Sightline evaluates CloudWatch AWS/Lambda, X-Ray or Sightline metric sources; got ${type} (use type CloudWatch, or type Sightline with source xray or cloudwatch)`,
      });
      return undefined;
  }
}

function readSightlineRatio(
  role: "good" | "bad",
  numerator: Extract<MetricSourceRead, { type: "sightline" }>,
  total: Extract<MetricSourceRead, { type: "sightline" }>,
  issues: Issue[],
): IndicatorRead | undefined {
  const n = numerator.spec;
  const t = total.spec;
  let ok = true;
  const flag = (path: Path, message: string) => {
    issues.push({ path, message });
    ok = false;
  };
  for (const [read, expected] of [[numerator, role], [total, "total"]] as const) {
    const events = read.spec.events;
    if (events !== expected) {
      flag(
        [...read.specPath, "events"],
        events === undefined ? `required: ${expected} (which count this query is)` : `must be ${expected} (this query is the ratioMetric's ${expected}); got ${events}`,
      );
    }
    if (read.spec.percentile !== undefined) flag([...read.specPath, "percentile"], "only used in a thresholdMetric (period-based latency): remove it");
  }
  if (t.source !== n.source) flag([...total.specPath, "source"], `must match ${role} (${n.source}); got ${t.source}`);
  if (t.sli !== n.sli) flag([...total.specPath, "sli"], `must match ${role} (${n.sli}); got ${t.sli}`);
  if (!ok) return undefined;
  if (n.sli === "availability") {
    for (const read of [numerator, total]) {
      if (read.spec.thresholdMs !== undefined) flag([...read.specPath, "thresholdMs"], "only used with sli latency: remove it");
    }
    return ok ? { indicator: { kind: "availability", source: n.source }, regions: [], accountIds: [] } : undefined;
  }
  if (n.source !== "xray") {
    flag(
      [...numerator.specPath, "source"],
      "request-based latency is counted from X-Ray (source xray); CloudWatch latency is period-based: use a thresholdMetric with budgetingMethod Timeslices",
    );
    return undefined;
  }
  if (n.thresholdMs === undefined) {
    flag([...numerator.specPath, "thresholdMs"], `required: the latency in ms that a ${role} request ${role === "good" ? "stays within" : "exceeds"}`);
    return undefined;
  }
  if (t.thresholdMs !== undefined && t.thresholdMs !== n.thresholdMs) {
    flag([...total.specPath, "thresholdMs"], `must match ${role} (${n.thresholdMs}) or be left out; got ${t.thresholdMs}`);
    return undefined;
  }
  return {
    indicator: { kind: "latency", method: "request", thresholdMs: n.thresholdMs },
    thresholdPath: [...numerator.specPath, "thresholdMs"],
    regions: [],
    accountIds: [],
  };
}

function readThreshold(
  metric: OpenSloMetricSpec,
  path: Path,
  objective: ObjectiveRead["entry"] | undefined,
  issues: Issue[],
): IndicatorRead | undefined {
  const source = readMetricSource(metric, path, issues);
  const threshold = objective && readSliceObjective(objective, issues);
  if (!source || !threshold) return undefined;
  if (source.type === "cloudwatch") {
    const { terms, exprPath, functionName, region, accountIds } = source.cloudWatch;
    const [only, ...others] = [...terms];
    const percentile = only && others.length === 0 && only[1] === 1 ? /^Duration:(p50|p90|p99)$/.exec(only[0])?.[1] : undefined;
    if (!isLatencyPercentile(percentile)) {
      issues.push({
        path: exprPath,
        message: `Sightline's period-based latency reads one Duration percentile (p50, p90 or p99) per minute; got ${formatTerms(terms)}`,
      });
      return undefined;
    }
    return {
      indicator: { kind: "latency", method: "period", percentile, thresholdMs: threshold.value },
      thresholdPath: threshold.path,
      metricFunction: functionName,
      regions: region ? [region] : [],
      accountIds,
    };
  }
  const { spec, specPath } = source;
  let ok = true;
  const flag = (field: string, message: string) => {
    issues.push({ path: [...specPath, field], message });
    ok = false;
  };
  if (spec.source !== "cloudwatch") {
    flag("source", "period-based latency reads CloudWatch Duration percentiles (source cloudwatch); X-Ray latency is request-based: use a ratioMetric with budgetingMethod Occurrences");
  }
  if (spec.sli !== "latency") flag("sli", `a thresholdMetric is period-based latency (sli latency); got ${spec.sli}`);
  if (spec.events !== undefined) flag("events", "only used in a ratioMetric (good, bad or total): remove it");
  if (spec.thresholdMs !== undefined) flag("thresholdMs", "the threshold is the objective's value (spec.objectives[0].value): remove it here");
  if (spec.percentile === undefined) flag("percentile", "required: p50, p90 or p99 (the Duration percentile judged per minute)");
  if (!ok || spec.percentile === undefined) return undefined;
  return {
    indicator: { kind: "latency", method: "period", percentile: spec.percentile, thresholdMs: threshold.value },
    thresholdPath: threshold.path,
    regions: [],
    accountIds: [],
  };
}

/** The Timeslices objective of period-based latency: op lte, value = thresholdMs, 1-minute slices. */
function readSliceObjective(entry: ObjectiveRead["entry"], issues: Issue[]): Located<number> | undefined {
  const { value: o, path } = entry;
  let ok = true;
  const flag = (field: string, message: string) => {
    issues.push({ path: [...path, field], message });
    ok = false;
  };
  const opRule = "a minute is good when its Duration percentile is at most value ms";
  if (o.op == null) flag("op", `required: lte (${opRule})`);
  else if (o.op !== "lte") flag("op", `must be lte (${opRule}); got ${o.op}`);
  if (o.value == null) flag("value", "required: the latency threshold in ms");
  if (o.timeSliceWindow == null) flag("timeSliceWindow", "required for Timeslices: 1m (Sightline judges 1-minute slices)");
  else if (o.timeSliceWindow !== "1m" && o.timeSliceWindow !== 1) {
    flag("timeSliceWindow", `Sightline judges 1-minute slices: timeSliceWindow must be 1m; got ${o.timeSliceWindow}`);
  }
  if (o.timeSliceTarget == null) {
    flag("timeSliceTarget", "required for Timeslices: use 1 (each 1-minute slice holds one Duration percentile, good or not)");
  } else if (!(o.timeSliceTarget > 0 && o.timeSliceTarget <= 1)) {
    flag("timeSliceTarget", `must be more than 0 and at most 1; got ${o.timeSliceTarget}`);
  }
  return ok && o.value != null ? { value: o.value, path: [...path, "value"] } : undefined;
}

function resolveTarget(annotations: SightlineAnnotations, indicator: IndicatorRead, issues: Issue[]): Located<SloTarget> | undefined {
  const { functionName, serviceTag } = annotations;
  if (functionName && serviceTag) return undefined; // reported by readAnnotations
  const metricFunction = indicator.metricFunction;
  if (metricFunction) {
    if (serviceTag) {
      issues.push({
        path: serviceTag.path,
        message: `a CloudWatch metric source reads one function (FunctionName ${metricFunction.value}); to cover every function with a service tag use type Sightline with source cloudwatch`,
      });
      return undefined;
    }
    if (functionName && functionName.value !== metricFunction.value) {
      issues.push({ path: functionName.path, message: `must match the metric's FunctionName (${metricFunction.value}); got ${functionName.value}` });
      return undefined;
    }
    return { value: { kind: "function", functionName: metricFunction.value }, path: metricFunction.path };
  }
  if (functionName) return { value: { kind: "function", functionName: functionName.value }, path: functionName.path };
  if (serviceTag) return { value: { kind: "service", service: serviceTag.value }, path: serviceTag.path };
  issues.push({
    path: ["metadata", "annotations"],
    message: `name the target: add ${SIGHTLINE_ANNOTATIONS.functionName} (one Lambda function) or ${SIGHTLINE_ANNOTATIONS.serviceTag} (every function whose service tag has this value)`,
  });
  return undefined;
}

/** The account or region: the annotation, else what the metric sources say, else the default; all that are given must agree. */
function resolveLocation(
  annotation: Located<string> | undefined,
  fromSources: readonly Located<string>[],
  annotationKey: string,
  fallback: string,
  issues: Issue[],
): Located<string> & { fromDefault?: true } {
  const chosen = annotation ?? fromSources[0];
  for (const other of fromSources) {
    if (chosen && other !== chosen && other.value !== chosen.value) {
      issues.push({
        path: other.path,
        message: `must match ${chosen === annotation ? annotationKey : "the other metric sources"} (${chosen.value}); got ${other.value}`,
      });
    }
  }
  return chosen ?? { value: fallback, path: annotationPath(annotationKey), fromDefault: true };
}

// ─────────────────────── import: CloudWatch metric sources ───────────────────────

/** A CloudWatch metric source reduced to a sum of AWS/Lambda metrics of one function. */
interface CloudWatchRead {
  /** `MetricName:Stat` → coefficient, e.g. Invocations:Sum → 1, Errors:Sum → −1. */
  terms: Map<string, number>;
  functionName: Located<string>;
  /** Where to point a complaint about what the source computes. */
  exprPath: Path;
  region?: Located<string>;
  accountIds: Located<string>[];
}

const termKey = (metricName: string, stat: string) => `${metricName}:${stat}`;

/** What Sightline's CloudWatch availability counts (sli-from-metrics.ts): Lambda counts throttles apart from invocations. */
const AVAILABILITY_COUNTS: Record<"good" | "bad" | "total", Map<string, number>> = {
  good: new Map([[termKey("Invocations", "Sum"), 1], [termKey("Errors", "Sum"), -1]]),
  bad: new Map([[termKey("Errors", "Sum"), 1], [termKey("Throttles", "Sum"), 1]]),
  total: new Map([[termKey("Invocations", "Sum"), 1], [termKey("Throttles", "Sum"), 1]]),
};

function readCloudWatchAvailability(role: "good" | "bad", numerator: CloudWatchRead, total: CloudWatchRead, issues: Issue[]): IndicatorRead | undefined {
  let ok = true;
  for (const [name, read] of [[role, numerator], ["total", total]] as const) {
    const expected = AVAILABILITY_COUNTS[name];
    if (!sameTerms(read.terms, expected)) {
      issues.push({
        path: read.exprPath,
        message: `Sightline's CloudWatch availability counts ${name} as ${formatTerms(expected)}; got ${formatTerms(read.terms)}`,
      });
      ok = false;
    }
  }
  if (numerator.functionName.value !== total.functionName.value) {
    issues.push({
      path: total.functionName.path,
      message: `must read the same function as ${role} (${numerator.functionName.value}); got ${total.functionName.value}`,
    });
    ok = false;
  }
  if (!ok) return undefined;
  return {
    indicator: { kind: "availability", source: "cloudwatch" },
    metricFunction: numerator.functionName,
    regions: [numerator.region, total.region].filter((r): r is Located<string> => r !== undefined),
    accountIds: [...numerator.accountIds, ...total.accountIds],
  };
}

function readCloudWatchSpec(raw: Record<string, unknown>, specPath: Path, issues: Issue[]): CloudWatchRead | undefined {
  const parsed = CloudWatchMetricSourceSpecSchema.safeParse(raw, { error: openSloErrorMap });
  if (!parsed.success) {
    issues.push(...zodIssues(parsed.error, specPath));
    return undefined;
  }
  const spec = parsed.data;
  const region = spec.region !== undefined ? { value: spec.region, path: [...specPath, "region"] } : undefined;
  const accountIds: Located<string>[] = spec.accountId !== undefined ? [{ value: spec.accountId, path: [...specPath, "accountId"] }] : [];
  const single = ["namespace", "metricName", "stat", "dimensions"] as const;
  if (spec.json !== undefined) {
    const extra = single.find((field) => spec[field] !== undefined);
    if (extra) {
      issues.push({ path: [...specPath, extra], message: "give either json (metric math) or namespace, metricName, stat and dimensions, not both" });
      return undefined;
    }
    const math = readMetricMath(spec.json, [...specPath, "json"], accountIds, issues);
    return math && { ...math, region, accountIds };
  }
  const { namespace, metricName, stat, dimensions } = spec;
  if (namespace === undefined || metricName === undefined || stat === undefined || dimensions === undefined) {
    const missing = single.filter((field) => spec[field] === undefined).join(", ");
    issues.push({ path: specPath, message: `needs json (metric math over AWS/Lambda metrics) or namespace, metricName, stat and dimensions; missing ${missing}` });
    return undefined;
  }
  const functionName = checkLambdaMetric(
    { namespace, metricName, dimensions },
    {
      namespace: [...specPath, "namespace"],
      metricName: [...specPath, "metricName"],
      dimensions: [...specPath, "dimensions"],
      functionValue: [...specPath, "dimensions", 0, "value"],
    },
    issues,
  );
  if (!functionName) return undefined;
  return { terms: new Map([[termKey(metricName, stat), 1]]), functionName, exprPath: specPath, region, accountIds };
}

/** Checks one metric is an AWS/Lambda metric Sightline reads, of one whole function; returns its FunctionName. */
function checkLambdaMetric(
  metric: { namespace: string; metricName: string; dimensions: readonly { name: string; value: string }[] },
  paths: { namespace: Path; metricName: Path; dimensions: Path; functionValue: Path },
  issues: Issue[],
): Located<string> | undefined {
  let ok = true;
  if (metric.namespace !== LAMBDA_NAMESPACE) {
    issues.push({ path: paths.namespace, message: `Sightline evaluates AWS/Lambda metrics; got ${metric.namespace}` });
    ok = false;
  }
  if (!(LAMBDA_METRICS as readonly string[]).includes(metric.metricName)) {
    issues.push({ path: paths.metricName, message: `Sightline reads ${LAMBDA_METRICS.join(", ")}; got ${metric.metricName}` });
    ok = false;
  }
  const [dimension, ...more] = metric.dimensions;
  if (!dimension || more.length > 0 || dimension.name !== "FunctionName") {
    const names = metric.dimensions.map((d) => d.name).join(", ") || "none";
    issues.push({ path: paths.dimensions, message: `must be exactly one FunctionName dimension (Sightline evaluates whole functions); got ${names}` });
    ok = false;
  }
  return ok && dimension ? { value: dimension.value, path: paths.functionValue } : undefined;
}

const QUERY_ID = "[a-z][A-Za-z0-9_]*";
const LINEAR_EXPRESSION = new RegExp(`^\\s*-?\\s*${QUERY_ID}(\\s*[+-]\\s*${QUERY_ID})*\\s*$`);

/** `json`: GetMetricData queries whose one returned value is a sum or difference of AWS/Lambda MetricStat queries. */
function readMetricMath(
  text: string,
  jsonPath: Path,
  accountIds: Located<string>[],
  issues: Issue[],
): Pick<CloudWatchRead, "terms" | "functionName" | "exprPath"> | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    issues.push({ path: jsonPath, message: `must be a JSON array of CloudWatch MetricDataQuery objects: ${(error as Error).message}` });
    return undefined;
  }
  const parsed = MetricDataQueriesSchema.safeParse(raw, { error: openSloErrorMap });
  if (!parsed.success) {
    issues.push(...zodIssues(parsed.error, jsonPath));
    return undefined;
  }
  const queries = parsed.data;
  const byId = new Map<string, { query: MetricDataQuery; index: number }>();
  let ok = true;
  queries.forEach((query, index) => {
    const path: Path = [...jsonPath, index];
    if (byId.has(query.Id)) {
      issues.push({ path: [...path, "Id"], message: `duplicate Id ${query.Id}` });
      ok = false;
    } else byId.set(query.Id, { query, index });
    if ((query.MetricStat === undefined) === (query.Expression === undefined)) {
      issues.push({ path, message: query.MetricStat ? "give MetricStat or Expression, not both" : "needs MetricStat or Expression" });
      ok = false;
    }
    if (query.AccountId !== undefined) accountIds.push({ value: query.AccountId, path: [...path, "AccountId"] });
  });
  if (!ok) return undefined;
  const returned = queries.flatMap((query, index) => (query.ReturnData === false ? [] : [{ query, index }]));
  const result = returned[0];
  if (returned.length !== 1 || !result) {
    issues.push({ path: jsonPath, message: `exactly one query must return data (ReturnData true, the others false); got ${returned.length}` });
    return undefined;
  }
  const expressionPath: Path = [...jsonPath, result.index, "Expression"];
  let refs: { id: string; sign: 1 | -1 }[];
  if (result.query.Expression === undefined) refs = [{ id: result.query.Id, sign: 1 }];
  else {
    const expression = result.query.Expression;
    if (!LINEAR_EXPRESSION.test(expression)) {
      issues.push({
        path: expressionPath,
        message: /^\s*select\b/i.test(expression)
          ? "Metrics Insights queries are not evaluated by Sightline: read AWS/Lambda MetricStat queries by FunctionName (for a service-tag target use type Sightline)"
          : `unrecognised metric math ${JSON.stringify(expression)}: Sightline reads sums and differences of AWS/Lambda metric queries by Id (e.g. invocations - errors)`,
      });
      return undefined;
    }
    refs = [];
    let sign: 1 | -1 = 1;
    for (const token of expression.match(new RegExp(`[+-]|${QUERY_ID}`, "g")) ?? []) {
      if (token === "+" || token === "-") sign = token === "-" ? -1 : 1;
      else {
        refs.push({ id: token, sign });
        sign = 1;
      }
    }
  }
  const terms = new Map<string, number>();
  let functionName: Located<string> | undefined;
  for (const ref of refs) {
    const referenced = byId.get(ref.id);
    if (!referenced) {
      issues.push({ path: expressionPath, message: `refers to ${ref.id}, which is not an Id in this list` });
      return undefined;
    }
    const stat = referenced.query.MetricStat;
    if (!stat) {
      issues.push({ path: expressionPath, message: `refers to ${ref.id}, another expression: Sightline reads expressions over MetricStat queries only` });
      return undefined;
    }
    const statPath: Path = [...jsonPath, referenced.index, "MetricStat"];
    const fn = checkLambdaMetric(
      {
        namespace: stat.Metric.Namespace,
        metricName: stat.Metric.MetricName,
        dimensions: (stat.Metric.Dimensions ?? []).map((d) => ({ name: d.Name, value: d.Value })),
      },
      {
        namespace: [...statPath, "Metric", "Namespace"],
        metricName: [...statPath, "Metric", "MetricName"],
        dimensions: [...statPath, "Metric", "Dimensions"],
        functionValue: [...statPath, "Metric", "Dimensions", 0, "Value"],
      },
      issues,
    );
    if (stat.Period !== PERIOD_SECONDS) {
      issues.push({ path: [...statPath, "Period"], message: `must be ${PERIOD_SECONDS}: Sightline reads per-minute CloudWatch data; got ${stat.Period}` });
      return undefined;
    }
    if (!fn) return undefined;
    if (functionName && fn.value !== functionName.value) {
      issues.push({ path: fn.path, message: `must read the same function as the other queries (${functionName.value}); got ${fn.value}` });
      return undefined;
    }
    functionName ??= fn;
    const key = termKey(stat.Metric.MetricName, stat.Stat);
    const coefficient = (terms.get(key) ?? 0) + ref.sign;
    if (coefficient === 0) terms.delete(key);
    else terms.set(key, coefficient);
  }
  return functionName && { terms, functionName, exprPath: jsonPath };
}

function sameTerms(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  return a.size === b.size && [...a].every(([key, coefficient]) => b.get(key) === coefficient);
}

/** "Invocations - Errors", "Duration (p95)": a metric sum as a person reads it. */
function formatTerms(terms: ReadonlyMap<string, number>): string {
  if (terms.size === 0) return "nothing (the terms cancel out)";
  return [...terms]
    .map(([key, coefficient], index) => {
      const [metricName, stat] = key.split(":");
      const name = stat === "Sum" ? metricName : `${metricName} (${stat})`;
      const size = Math.abs(coefficient) === 1 ? name : `${Math.abs(coefficient)} × ${name}`;
      if (index === 0) return coefficient < 0 ? `-${size}` : size;
      return coefficient < 0 ? ` - ${size}` : ` + ${size}`;
    })
    .join("");
}

function isLatencyPercentile(value: string | undefined): value is (typeof LATENCY_PERCENTILES)[number] {
  return (LATENCY_PERCENTILES as readonly (string | undefined)[]).includes(value);
}

// ───────────────────────────── errors and paths ─────────────────────────────

const EXPECTED_NOUNS: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  object: "a mapping (key: value)",
  record: "a mapping (key: value)",
  array: "a list",
};

/** zod's type and value messages, said the OpenSLO way ("must be a list; got a string"). */
const openSloErrorMap: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === "invalid_type") {
    if (issue.input === undefined) return "required";
    return `must be ${EXPECTED_NOUNS[issue.expected] ?? issue.expected}; got ${describeValue(issue.input)}`;
  }
  if (issue.code === "invalid_value") {
    return `must be ${joinOr(issue.values.map(String))}; got ${display(issue.input)}`;
  }
  return undefined;
};

function zodIssues(error: z.ZodError, prefix: Path): Issue[] {
  return error.issues.flatMap((issue): Issue[] => {
    const path: Path = [...prefix, ...issue.path.map((segment) => (typeof segment === "symbol" ? String(segment) : segment))];
    if (issue.code === "unrecognized_keys") return issue.keys.map((key) => ({ path: [...path, key], message: "unknown field" }));
    if (issue.code === "invalid_key") return [{ path, message: issue.issues[0]?.message ?? issue.message }];
    return [{ path, message: issue.message }];
  });
}

/** `spec.objectives[0].target`, `metadata.annotations["sightline.dev/region"]`. */
function formatPath(path: Path): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) text += text === "" ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

function yamlMessage(problem: YAMLError, lineCounter: LineCounter): string {
  const { line, col } = lineCounter.linePos(problem.pos[0]);
  return `invalid YAML at line ${line}, column ${col}: ${problem.message}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describeValue(value: unknown): string {
  if (value === null) return "null (an empty value)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}

/** A value inside a sentence: strings bare (`got Service`), others described. */
function display(value: unknown): string {
  return typeof value === "string" ? value : describeValue(value);
}

function joinOr(values: readonly string[]): string {
  return values.length <= 1 ? (values[0] ?? "") : `${values.slice(0, -1).join(", ")} or ${values[values.length - 1]}`;
}

/** UTF-8 size without allocating; stops counting once past the limit. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= MAX_OPENSLO_BYTES; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4; // a surrogate pair is one 4-byte code point
      i++;
    } else bytes += 3;
  }
  return bytes;
}
