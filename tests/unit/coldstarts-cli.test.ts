import { describe, expect, it } from "vitest";
import { formatColdStartRanking, formatFunctionColdStarts, parseColdstartsArgs } from "@/cli/commands/coldstarts";
import type { ColdStartRankingRow, ColdStartsView, FunctionColdStartsView } from "@/lib/queries/cold-starts-view";

const NOW = Date.UTC(2026, 10, 26, 12, 0, 30);
const HOUR = 3_600_000;

describe("parseColdstartsArgs", () => {
  it("defaults to the fleet ranking over the last 24 hours, as text", () => {
    const args = parseColdstartsArgs([], NOW);
    expect(args).toMatchObject({ help: false, json: false, target: null, range: { label: "24h", window: { fromMs: Date.UTC(2026, 10, 25, 12), toMs: Date.UTC(2026, 10, 26, 12) } } });
  });

  it("reads a function, its account and region, a range and --json", () => {
    const args = parseColdstartsArgs(["--function", "shipping-rates-api", "--account", "123456789012", "--region", "us-east-1", "--range", "7d", "--json"], NOW);
    expect(args.target).toEqual({ functionName: "shipping-rates-api", accountId: "123456789012", region: "us-east-1" });
    expect(args.range.label).toBe("7d");
    expect(args.range.window.toMs - args.range.window.fromMs).toBe(7 * 24 * HOUR);
    expect(args.json).toBe(true);
  });

  it.each([
    [["--range", "3w"], /^--range must be one of 1h, 6h, 24h, 7d, 14d, got "3w"$/],
    [["--account", "123456789012"], /^--account and --region need --function$/],
    [["--function", "orders api"], /^--function must be a Lambda function name/],
    [["--function", "orders-api", "--account", "12345"], /^--account must be 12 digits, got "12345"$/],
    [["--function", "orders-api", "--region", "Virginia"], /^--region must be a region code/],
    [["shipping-rates-api"], /^unexpected argument "shipping-rates-api"/],
    [["--fn", "x"], /Unknown option '--fn'/],
  ])("rejects %j naming the flag", (argv, message) => {
    expect(() => parseColdstartsArgs(argv, NOW)).toThrow(message);
  });
});

const range = parseColdstartsArgs([], NOW).range;

function row(overrides: Partial<ColdStartRankingRow>): ColdStartRankingRow {
  return {
    key: "123456789012#us-east-1#fn",
    rank: 1,
    accountId: "123456789012",
    region: "us-east-1",
    functionName: "fn",
    runtime: "nodejs22.x",
    architecture: "arm64",
    memoryMb: 512,
    packageType: "Zip",
    snapStart: false,
    provisionedConcurrency: 0,
    invocations: 0,
    coldStarts: 0,
    coldStartRatio: null,
    heavy: false,
    coldStartP50Ms: null,
    coldStartP99Ms: null,
    coldStartWaitMsPerDay: 0,
    initCostUsdPerDay: 0,
    initAccounting: "none",
    ...overrides,
  };
}

describe("formatColdStartRanking", () => {
  it("prints one row per function in rank order, with a heading naming the range and the data's end", () => {
    const view: ColdStartsView = {
      window: range.window,
      reportsCollectedThroughMs: Date.UTC(2026, 10, 26, 11),
      collection: { lastSuccessMs: NOW, lastError: null, stale: false },
      rows: [
        row({ rank: 1, functionName: "shipping-rates-api", runtime: "java17", invocations: 230, coldStarts: 69, coldStartRatio: 0.3, heavy: true, coldStartP50Ms: 4815.18, coldStartP99Ms: 4815.18, coldStartWaitMsPerDay: 332_247, initCostUsdPerDay: 0.0055, initAccounting: "within-billed-duration" }),
        row({ rank: 2, functionName: "payments-api", runtime: "java21", invocations: 1_271_816 }),
      ],
    };
    const lines = formatColdStartRanking(view, range).split("\n");
    expect(lines[0]).toBe("Cold starts, last 24 hours (REPORT lines through 2026-11-26 11:00 UTC)");
    expect(lines[2]).toMatch(/^#\s+function\s+account\/region\s+runtime\s+invocations\s+cold\s+ratio\s+init p50\s+init p99\s+waited\/day\s+INIT \$\/day$/);
    expect(lines[3]).toMatch(/^1\s+shipping-rates-api\s+123456789012\/us-east-1\s+java17\s+230\s+69\s+30%\s+4\.82 s\s+4\.82 s\s+5 min 32 s\s+\$0\.0055\s+heavy$/);
    expect(lines[4]).toMatch(/^2\s+payments-api\s+123456789012\/us-east-1\s+java21\s+1\.27M\s+0\s+—\s+—\s+—\s+—\s+—$/);
  });
});

function shippingView(overrides: Partial<FunctionColdStartsView> = {}): FunctionColdStartsView {
  const hour = Date.UTC(2026, 10, 26, 10);
  return {
    function: { accountId: "123456789012", region: "us-east-1", functionName: "shipping-rates-api", runtime: "java17", architecture: "x86_64", memoryMb: 1024, packageType: "Zip", snapStart: false, provisionedConcurrency: 0 },
    window: range.window,
    coverage: { fromMs: hour, toMs: hour + HOUR },
    summary: {
      invocations: 9,
      coldStarts: 3,
      snapStartRestores: 0,
      coldStartRatio: 1 / 3,
      coldStartDurationMs: { p50: 4600, p90: 5200, p99: 5300, max: 5300 },
      heavy: false,
      initDurationMs: { p50: 4600, p90: 5200, p99: 5300, max: 5300 },
      restoreDurationMs: null,
      coldStartWaitMsPerDay: 360_000,
      byHour: [{ hourStartMs: hour, invocations: 9, coldStarts: 3, snapStartRestores: 0, coldStartRatio: 1 / 3, coldStartDurationMs: { p50: 4600, p90: 5200, p99: 5300, max: 5300 } }],
      byVersion: [{ version: "$LATEST", invocations: 9, coldStarts: 3, snapStartRestores: 0, coldStartRatio: 1 / 3, coldStartDurationMs: { p50: 4600, p90: 5200, p99: 5300, max: 5300 } }],
      byMemorySize: [{ memorySizeMb: 1024, invocations: 9, coldStarts: 3, snapStartRestores: 0, coldStartRatio: 1 / 3, coldStartDurationMs: { p50: 4600, p90: 5200, p99: 5300, max: 5300 } }],
    },
    initCost: {
      initFinding: { kind: "included", evidence: { included: 1, notIncluded: 0, ambiguous: 0, unexplained: 0 } },
      restoreFinding: { kind: "undetermined", evidence: { included: 0, notIncluded: 0, ambiguous: 0, unexplained: 0 } },
      initAccounting: "within-billed-duration",
      restoreAccounting: "none",
      rule: "managed-runtime-billed",
      initGbSecondsPerDay: 360,
      initCostUsdPerDay: 0.006,
      durationCostUsdPerDay: 0.0072,
      initShareOfDurationCostRatio: 0.8333,
      price: { pricedRegion: "us-east-1", assumed: false, architecture: "x86_64", usdPerGbSecond: 0.0000166667 },
    },
    p99Impact: { kind: "estimated", coldStartRatio: 1 / 3, callerP99Ms: 5600, warmP99Ms: 900, coldStartAddedP99Ms: 4700, coldStartShareOfP99Ratio: 0.839, verdict: "cold-starts-dominate" },
    collection: { lastSuccessMs: NOW, lastError: null, stale: false },
    ...overrides,
  };
}

describe("formatFunctionColdStarts", () => {
  it("prints the figures, the INIT billing finding, the p99 share and the breakdowns", () => {
    const view = shippingView();
    const text = formatFunctionColdStarts(view, range);
    const lines = text.split("\n");
    expect(lines[0]).toBe("shipping-rates-api (123456789012/us-east-1) — java17 · x86_64 · 1,024 MB · Zip");
    expect(lines[1]).toBe("Last 24 hours, REPORT lines of 2026-11-26 10:00–11:00 UTC");
    expect(text).toMatch(/^Cold starts\s+3 \(33%\)$/m);
    expect(text).toMatch(/^Init duration\s+p50 4\.6 s {2}p90 5\.2 s {2}p99 5\.3 s {2}max 5\.3 s$/m);
    expect(text).toMatch(/^INIT cost\s+\$0\.0060\/day \(360 GB-s\/day\), 83% of the duration bill \(\$0\.0072\/day\)$/m);
    expect(text).toMatch(/^Billing\s+INIT: already inside Billed Duration: its cost is a share of the duration bill, not an addition\. The REPORT lines show Init Duration inside Billed Duration \(1 function-hour agrees\)\.$/m);
    expect(text).toMatch(/^Price\s+\$0\.0000166667 per GB-s, on-demand first tier, x86_64, us-east-1$/m);
    expect(text).toMatch(/^p99 share\s+callers see 5\.6 s, 900 ms were every call warm: cold starts cause 84%\. Cold starts dominate the p99/m);
    expect(text).toMatch(/^By hour \(hours with invocations\)\nhour \(UTC\)\s+invocations\s+cold\s+ratio\s+init p50\s+init p99\n2026-11-26 10:00\s+9\s+3\s+33%\s+4\.6 s\s+5\.3 s$/m);
    expect(text).toMatch(/^\$LATEST\s+9\s+3\s+33%/m);
    expect(text).toMatch(/^1,024 MB\s+9\s+3\s+33%/m);
  });

  it("says so when the p99 share cannot be estimated, and when nothing is collected", () => {
    const text = formatFunctionColdStarts(
      shippingView({ coverage: null, p99Impact: { kind: "insufficient-data", reason: "no REPORT lines collected yet for this account and region" } }),
      range,
    );
    expect(text.split("\n")[1]).toBe("Last 24 hours, no REPORT lines collected yet");
    expect(text).toMatch(/^p99 share\s+cannot say yet: no REPORT lines collected yet for this account and region$/m);
  });
});
