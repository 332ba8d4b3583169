import { describe, expect, it } from "vitest";
import { UsageError } from "@/cli/args";
import { formatImportErrors, formatSloStatus, parseSloArgs } from "@/cli/commands/slo";
import { burnRateRulesFor } from "@/lib/domain/slo/alert-windows";
import type { RuleStatus } from "@/lib/domain/slo/slo-status";
import { DAY_MS, HOUR_MS } from "@/lib/domain/shared/time";
import { toSloRow, type SloRow, type SlosView } from "@/lib/queries/slos-view";
import { aSloStatus, anSlo } from "@/tests/builders/slo";

describe("parseSloArgs", () => {
  it.each([
    { argv: ["status"], expected: { help: false, action: "status", json: false } },
    { argv: ["status", "--json"], expected: { help: false, action: "status", json: true } },
    { argv: ["import", "slos.yaml"], expected: { help: false, action: "import", file: "slos.yaml", json: false } },
    { argv: ["import", "-", "--json"], expected: { help: false, action: "import", file: "-", json: true } },
    { argv: ["export"], expected: { help: false, action: "export", ids: [], out: null } },
    { argv: ["export", "--id", "payments-availability,checkout-latency", "--out", "slos.yaml"], expected: { help: false, action: "export", ids: ["payments-availability", "checkout-latency"], out: "slos.yaml" } },
    // Spaces around ids and empty entries are forgiven.
    { argv: ["export", "--id", " payments-availability , ,checkout-latency "], expected: { help: false, action: "export", ids: ["payments-availability", "checkout-latency"], out: null } },
    { argv: ["--help"], expected: { help: true } },
    { argv: ["export", "-h"], expected: { help: true } },
  ])("$argv", ({ argv, expected }) => {
    expect(parseSloArgs(argv)).toEqual(expected);
  });

  it.each([
    { argv: ["frobnicate"], message: /unknown slo subcommand "frobnicate".*status, import or export/ },
    { argv: [], message: /unknown slo subcommand.*status, import or export/ },
    { argv: ["import"], message: /give one file to import, or - for stdin/ },
    { argv: ["import", "a.yaml", "b.yaml"], message: /give one file to import/ },
    { argv: ["export", "--json"], message: /--json belongs to status and import/ },
    { argv: ["status", "--id", "payments-availability"], message: /--id and --out belong to `slo export`/ },
    { argv: ["status", "--out", "x.yaml"], message: /--id and --out belong to `slo export`/ },
    { argv: ["import", "slos.yaml", "--id", "payments-availability"], message: /--id and --out belong to `slo export`/ },
    { argv: ["status", "everything"], message: /unexpected argument "everything" after status/ },
    { argv: ["export", "payments-availability"], message: /unexpected argument "payments-availability"; choose SLOs with --id/ },
    // Upper case and underscores are not in an SLO id.
    { argv: ["export", "--id", "payments-availability,Checkout_Latency"], message: /--id: "Checkout_Latency" is not an SLO id/ },
    { argv: ["export", "--id=-leading-hyphen"], message: /--id: "-leading-hyphen" is not an SLO id/ },
    { argv: ["export", "--id", "trailing-hyphen-"], message: /--id: "trailing-hyphen-" is not an SLO id/ },
    { argv: ["status", "--verbose"], message: /--verbose/ },
  ])("rejects $argv with a UsageError naming the problem", ({ argv, message }) => {
    let thrown: unknown = null;
    try {
      parseSloArgs(argv);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as Error).message).toMatch(message);
  });
});

const T = Date.UTC(2026, 10, 26, 12);

/** The 30-day Workbook pairs as evaluated; burn rates per pair index, firing where `firing` says. */
function rules(longBurn: number[], shortBurn: number[], firing: boolean[]): RuleStatus[] {
  return burnRateRulesFor(30 * DAY_MS).map((rule, i) => ({
    severity: rule.severity,
    longWindowMs: rule.longWindowMs,
    shortWindowMs: rule.shortWindowMs,
    burnRateThreshold: rule.burnRateThreshold,
    longBurnRate: longBurn[i]!,
    shortBurnRate: shortBurn[i]!,
    longTotal: 10_000,
    firing: firing[i]!,
    lowTraffic: false,
  }));
}

/** A view with the rows in the order given (the view's order is getSlosView's business, not the formatter's). */
function viewOf(rows: SloRow[], throughMs: number | null = T): SlosView {
  const counts = { page: 0, ticket: 0, ok: 0, unevaluated: 0 };
  for (const r of rows) counts[r.level]++;
  return { rows, counts, throughMs };
}

// Paging: the 1h / 5m pair burns 20× and 25× over 14.4, the 6h / 30m pair 7.5× and 6.25× over 6.
const checkout = toSloRow(
  anSlo({ id: "checkout-latency", name: "Checkout latency", target: { kind: "function", functionName: "checkout-api" }, indicator: { kind: "latency", method: "period", percentile: "p99", thresholdMs: 300 } }),
  aSloStatus({
    sloId: "checkout-latency",
    level: "page",
    sliRatio: 0.9985,
    budgetRemainingRatio: 0.4,
    currentBurnRate: 20,
    timeToExhaustionMs: 2 * DAY_MS,
    rules: rules([20, 7.5, 2, 0.8], [25, 6.25, 2.5, 0.9], [true, true, false, false]),
  }),
);
const payments = toSloRow(anSlo(), aSloStatus());
const orders = toSloRow(
  anSlo({ id: "orders-availability", target: { kind: "function", functionName: "orders-api" } }),
  aSloStatus({ sloId: "orders-availability", problem: "no metrics collected yet for orders-api", sliRatio: null, budgetRemainingRatio: null, currentBurnRate: null }),
);

function lineOf(text: string, id: string): string {
  const line = text.split("\n").find((l) => l.split(/\s+/).includes(id));
  if (line === undefined) throw new Error(`no table line for ${id} in:\n${text}`);
  return line;
}

describe("formatSloStatus", () => {
  const text = formatSloStatus(viewOf([checkout, payments, orders]));
  const lines = text.split("\n");

  it("heads the table with the counts and the data end", () => {
    // T = 2026-11-26 12:00 UTC; one row of each of paging, ok and not evaluated.
    expect(lines[0]).toBe("SLOs (1 paging, 0 ticket, 1 ok, 1 not evaluated; data through 2026-11-26 12:00 UTC)");
  });

  it("lists the SLOs in the view's order, each with its level word", () => {
    const at = (id: string) => lines.indexOf(lineOf(text, id));
    expect(at("checkout-latency")).toBeGreaterThan(0);
    expect(at("payments-availability")).toBe(at("checkout-latency") + 1);
    expect(at("orders-availability")).toBe(at("payments-availability") + 1);
    expect(lineOf(text, "checkout-latency")).toMatch(/^paging\s/);
    expect(lineOf(text, "payments-availability")).toMatch(/^ok\s/);
    expect(lineOf(text, "orders-availability")).toMatch(/^not evaluated\s/);
    // Reversing the rows reverses the lines: the formatter does not re-sort.
    const reversed = formatSloStatus(viewOf([orders, payments, checkout])).split("\n");
    expect(reversed.findIndex((l) => l.startsWith("not evaluated"))).toBeLessThan(reversed.findIndex((l) => l.startsWith("paging")));
  });

  it("shows a row's target, objective, window, SLI, budget, burn and exhaustion", () => {
    // 0.9985 → 99.85 %, 0.4 → 40 %, burn 20 → 20×, 2 days → in 2 d.
    const cells = lineOf(text, "checkout-latency").split(/\s{2,}/);
    expect(cells).toEqual(["paging", "checkout-latency", "checkout-api", "99.9 %", "rolling 30 days", "99.85%", "40%", "20×", "in 2 d"]);
  });

  it("lists each firing window pair under the table with both burn rates and the threshold", () => {
    const notes = lines.filter((l) => l.startsWith("checkout-latency: "));
    expect(notes).toEqual([
      "checkout-latency: page — 1h / 5m burning 20× / 25× (threshold 14.4×)",
      "checkout-latency: page — 6h / 30m burning 7.5× / 6.25× (threshold 6×)",
    ]);
    // The ticket pairs are not firing: no note for them.
    expect(text).not.toMatch(/ticket — /);
  });

  it("gives a problem row its problem under the table", () => {
    expect(lines).toContain("orders-availability: no metrics collected yet for orders-api");
    expect(lines.filter((l) => l.startsWith("payments-availability: "))).toEqual([]);
  });

  it("marks an SLO edited since its evaluation with * and explains the mark", () => {
    const edited = toSloRow(anSlo({ version: 2 }), aSloStatus({ sloVersion: 1 }));
    const out = formatSloStatus(viewOf([edited]));
    expect(lineOf(out, "payments-availability")).toMatch(/^ok\*\s/);
    expect(out.split("\n").at(-1)).toBe("* edited since the last evaluation");
    expect(text).not.toContain("* edited");
  });

  it("says when nothing was evaluated yet", () => {
    const neverRun = toSloRow(anSlo(), null);
    expect(formatSloStatus(viewOf([neverRun], null)).split("\n")[0]).toBe("SLOs (0 paging, 0 ticket, 0 ok, 1 not evaluated; not evaluated yet)");
  });

  it("explains how to import SLOs when there are none", () => {
    const out = formatSloStatus(viewOf([], null));
    expect(out).toContain("No SLOs defined");
    expect(out).toContain("sightline slo import <file.yaml>");
    expect(out).not.toContain("status");
  });
});

describe("formatImportErrors", () => {
  it("prints one line per error with its document number and path, after a line saying nothing was written", () => {
    const out = formatImportErrors([
      { document: 2, path: "spec.objectives.0.target", message: "must be less than 1 (a ratio, e.g. 0.999 for 99.9 %)" },
      { document: 3, path: "metadata.name", message: "must be 1-63 lower-case letters, digits or hyphens, starting and ending with a letter or digit" },
      // Document 0 is the file as a whole; no document at all is a plain field error.
      { document: 0, path: "(file)", message: "is not YAML" },
      { path: "service", message: "must not be empty" },
    ]);
    expect(out.split("\n")).toEqual([
      "The YAML was not imported (nothing was written):",
      "  document 2, spec.objectives.0.target: must be less than 1 (a ratio, e.g. 0.999 for 99.9 %)",
      "  document 3, metadata.name: must be 1-63 lower-case letters, digits or hyphens, starting and ending with a letter or digit",
      "  (file): is not YAML",
      "  service: must not be empty",
    ]);
  });
});

describe("the fixtures above", () => {
  // The notes' "1h / 5m … 14.4×" and "6h / 30m … 6×" rely on these being the Workbook's 30-day table.
  it("use the Workbook's 30-day window pairs and thresholds", () => {
    expect(checkout.burnRates.map((b) => [b.longWindowMs / HOUR_MS, b.threshold])).toEqual([
      [1, 14.4],
      [6, 6],
      [24, 3],
      [72, 1],
    ]);
  });
});
