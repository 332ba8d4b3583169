import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ScenarioError, parseScenario } from "@/infra/local/sim/load-scenario";
import { toOpenSloYaml, parseOpenSloYaml } from "@/lib/domain/slo/openslo";
import { SloSpecSchema, type SloSpec } from "@/lib/domain/slo/slo-definition";

/**
 * The two YAML readers: OpenSLO import (lib/domain/slo/openslo.ts, used by POST /api/v1/slos
 * and `sightline slo import`) and simulator scenarios (infra/local/sim/load-scenario.ts). Any
 * text gives SLOs or errors (OpenSLO) / a scenario or a ScenarioError, never another exception;
 * hostile documents (alias bombs, deep nesting, huge mappings, > 1 MB) are refused quickly.
 */

/** Inputs tried per property (fast-check numRuns). */
const RUNS = { openSloText: 200, openSloShapes: 100, openSloRoundTrip: 100, scenarioText: 200, ordinaryFiles: 4 } as const;

const DEFAULTS = { accountId: "123456789012", region: "us-east-1" };
/** Fresh per call: a scenario path relative to /tmp names no member file that exists. */
const SOURCE = "/tmp/sightline-property-scenario.yaml";

/** Text that is YAML-ish: indicators, anchors and aliases, tags, document markers, plus arbitrary text. */
const yamlish = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc
    .array(
      fc.oneof(
        fc.constantFrom("\n", "  ", "- ", ": ", "? ", "---\n", "...\n", "&a ", "*a", "*b", "!!str ", "!!binary ", "!custom ", "<<: *a\n", "[", "]", "{", "}", ",", "|\n  ", ">-\n  ", '"', "'", "#", "%YAML 1.2\n", "\t"),
        fc.constantFrom("apiVersion: openslo/v1\n", "kind: SLO\n", "metadata:\n  name: x\n", "spec:\n", "version: 1\n", "functions:\n"),
        fc.string({ maxLength: 8 }),
      ),
      { maxLength: 40 },
    )
    .map((parts) => parts.join("")),
);

/** An OpenSLO-shaped document whose values are arbitrary JSON: structurally plausible, semantically wrong. */
const openSloShape = fc.record(
  {
    apiVersion: fc.oneof(fc.constant("openslo/v1"), fc.jsonValue({ maxDepth: 1 })),
    kind: fc.oneof(fc.constant("SLO"), fc.jsonValue({ maxDepth: 1 })),
    metadata: fc.oneof(fc.record({ name: fc.jsonValue({ maxDepth: 1 }), displayName: fc.jsonValue({ maxDepth: 1 }), labels: fc.jsonValue({ maxDepth: 2 }), annotations: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }), fc.jsonValue({ maxDepth: 1 })),
    spec: fc.oneof(
      fc.record(
        {
          service: fc.jsonValue({ maxDepth: 1 }),
          budgetingMethod: fc.oneof(fc.constantFrom("Occurrences", "Timeslices"), fc.jsonValue({ maxDepth: 1 })),
          objectives: fc.oneof(fc.array(fc.record({ target: fc.oneof(fc.double(), fc.jsonValue({ maxDepth: 1 })), targetPercent: fc.jsonValue({ maxDepth: 1 }), ratioMetric: fc.jsonValue({ maxDepth: 3 }) }, { requiredKeys: [] }), { maxLength: 3 }), fc.jsonValue({ maxDepth: 1 })),
          timeWindow: fc.oneof(fc.array(fc.record({ duration: fc.oneof(fc.constantFrom("30d", "1M", "1Q", "0d"), fc.jsonValue({ maxDepth: 1 })), isRolling: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }), { maxLength: 2 }), fc.jsonValue({ maxDepth: 1 })),
          indicator: fc.jsonValue({ maxDepth: 4 }),
        },
        { requiredKeys: [] },
      ),
      fc.jsonValue({ maxDepth: 2 }),
    ),
  },
  { requiredKeys: [] },
);

function expectOpenSloResult(text: string): void {
  const result = parseOpenSloYaml(text, DEFAULTS);
  if (result.ok) expect(result.slos.length).toBeGreaterThan(0);
  else {
    expect(result.errors.length).toBeGreaterThan(0);
    for (const e of result.errors) {
      expect(e.message.length).toBeGreaterThan(0);
      expect(Number.isInteger(e.document) && e.document >= 0).toBe(true);
    }
  }
}

describe("OpenSLO import", () => {
  it("answers SLOs or located errors for any text, never throws", () => {
    fc.assert(fc.property(yamlish, expectOpenSloResult), { numRuns: RUNS.openSloText });
  });

  it("answers errors naming a field path for OpenSLO-shaped documents with wrong values", () => {
    fc.assert(
      fc.property(fc.array(openSloShape, { minLength: 1, maxLength: 3 }), (docs) => {
        const text = docs.map((d) => stringify(d)).join("---\n");
        expectOpenSloResult(text);
        const result = parseOpenSloYaml(text, DEFAULTS);
        // Wrong values are located: every error of a mapping document says where.
        if (!result.ok) for (const e of result.errors) if (e.document > 0 && e.path === "") expect(e.message).toMatch(/expected an OpenSLO document|YAML|alias|file/);
      }),
      { numRuns: RUNS.openSloShapes },
    );
  });

  const spec: fc.Arbitrary<SloSpec> = fc
    .record({
      id: fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/),
      name: fc.string({ minLength: 1, maxLength: 40 }).filter((n) => n.trim() === n && n.length > 0),
      functionName: fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
      objective: fc.integer({ min: 900, max: 999 }).map((n) => n / 1000),
      days: fc.constantFrom(7, 28, 30),
      indicator: fc.oneof(
        fc.constantFrom("cloudwatch", "xray").map((source) => ({ kind: "availability", source })),
        fc.integer({ min: 1, max: 30_000 }).map((thresholdMs) => ({ kind: "latency", method: "request", thresholdMs })),
        fc.tuple(fc.constantFrom("p50", "p90", "p99"), fc.integer({ min: 1, max: 30_000 })).map(([percentile, thresholdMs]) => ({ kind: "latency", method: "period", percentile, thresholdMs })),
      ),
    })
    .map((g) =>
      SloSpecSchema.parse({
      id: g.id,
      name: g.name,
      description: "",
      service: "payments",
      labels: {},
      accountId: DEFAULTS.accountId,
      region: DEFAULTS.region,
      target: { kind: "function", functionName: g.functionName },
      indicator: g.indicator,
      objective: g.objective,
      window: { kind: "rolling", days: g.days },
      alerting: { enabled: true, minEvents: 100 },
      }),
    );

  it("reads its own export back unchanged", () => {
    fc.assert(
      fc.property(fc.uniqueArray(spec, { selector: (s) => s.id, minLength: 1, maxLength: 4 }), (specs) => {
        const text = toOpenSloYaml(specs);
        const result = parseOpenSloYaml(text, DEFAULTS);
        expect(result.ok, JSON.stringify(result).slice(0, 400)).toBe(true);
        if (result.ok) expect(parseOpenSloYaml(toOpenSloYaml(result.slos), DEFAULTS)).toEqual(result);
      }),
      { numRuns: RUNS.openSloRoundTrip },
    );
  });
});

describe("scenario YAML", () => {
  it("answers a scenario or a ScenarioError for any text, never another exception", () => {
    fc.assert(
      fc.property(fc.oneof(yamlish, fc.jsonValue({ maxDepth: 3 }).map((v) => stringify(v))), (text) => {
        try {
          parseScenario(text, SOURCE);
        } catch (error) {
          expect(error, String(error)).toBeInstanceOf(ScenarioError);
          expect((error as ScenarioError).message).toContain(SOURCE);
        }
      }),
      { numRuns: RUNS.scenarioText },
    );
  });
});

/** Documents built to exhaust the parser: each is refused (not parsed, not expanded) with a message saying why. */
const HOSTILE: [string, () => string, RegExp][] = [
  ["billion laughs", billionLaughs, /alias/i],
  ["one anchor, thousands of aliases", () => `a: &a [1]\n${Array.from({ length: 5000 }, (_, i) => `k${i}: *a`).join("\n")}`, /alias/i],
  ["thousands of anchors, each aliased once", () => Array.from({ length: 3000 }, (_, i) => `a${i}: &a${i} [1]\nb${i}: *a${i}`).join("\n"), /alias/i],
  ["[ nested 200,000 deep", () => `${"[".repeat(200_000)}${"]".repeat(200_000)}`, /nested/],
  ["{ nested 100,000 deep", () => `${"{a: ".repeat(100_000)}1${"}".repeat(100_000)}`, /nested/],
  ["- nested 200,000 deep on one line", () => `${"- ".repeat(200_000)}1`, /nested/],
  ["indentation 1,000 levels deep", () => `a:\n${Array.from({ length: 1000 }, (_, i) => `${" ".repeat(i + 1)}b:`).join("\n")}`, /indented/],
  // The library's own duplicate-key check was quadratic: 40,000 keys (0.8 MB) took a minute; now a few seconds.
  ["a mapping of 10,000 keys with one repeated", () => `${Array.from({ length: 10_000 }, (_, i) => `k${i}: [1, 2, "x"]`).join("\n")}\nk7: 1\n`, /unique/],
  ["over 1 MB", () => `# ${"x".repeat(1_100_000)}\n`, /1 MB/],
];

function billionLaughs(): string {
  const lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
  for (let i = 1; i <= 9; i++) {
    const name = String.fromCharCode(97 + i);
    lines.push(`${name}: &${name} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(", ")}]`);
  }
  return `${lines.join("\n")}\n`;
}

describe("hostile YAML", () => {
  // Nesting twice: on Node 20 a second deeply nested document used to abort the process (see yaml-guard.ts).
  it.each(HOSTILE)("OpenSLO import refuses %s with a clear error", { timeout: 30_000 }, (_name, build, reason) => {
    const text = build();
    for (let i = 0; i < (reason.source.includes("nested") ? 2 : 1); i++) {
      const result = parseOpenSloYaml(`apiVersion: openslo/v1\nkind: SLO\n${text}`, DEFAULTS);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors.map((e) => e.message).join("; ")).toMatch(reason);
    }
  });

  it.each(HOSTILE)("the scenario loader refuses %s with a ScenarioError", { timeout: 30_000 }, (_name, build, reason) => {
    const text = build();
    for (let i = 0; i < (reason.source.includes("nested") ? 2 : 1); i++) expect(() => parseScenario(text, SOURCE)).toThrow(reason);
  });

  it("the guards do not refuse ordinary documents: generated OpenSLO files of many SLOs import", { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), (count) => {
        const specs = Array.from({ length: count }, (_, i) => ({
          id: `slo-${i}`,
          name: `SLO ${i}`,
          description: "",
          service: "payments",
          labels: {},
          ...DEFAULTS,
          target: { kind: "function", functionName: `fn-${i}` },
          indicator: { kind: "availability", source: "cloudwatch" },
          objective: 0.99,
          window: { kind: "rolling", days: 30 },
          alerting: { enabled: true, minEvents: 100 },
        })) as unknown as SloSpec[];
        const result = parseOpenSloYaml(toOpenSloYaml(specs), DEFAULTS);
        expect(result.ok && result.slos.length).toBe(count);
      }),
      { numRuns: RUNS.ordinaryFiles },
    );
  });
});
