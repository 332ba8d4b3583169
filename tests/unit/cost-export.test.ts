import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  COST_CSV_COLUMNS,
  FOCUS_CSV_COLUMNS,
  focusServiceCategory,
  formatMicroUsd,
  neutralizeFormula,
  sumBilledMicroUsd,
  toCostCsv,
  toFocusCsv,
} from "@/lib/domain/cost/cost-export";
import type { CostExportRow } from "@/lib/domain/cost/cost-types";
import { usdAmountToMicroUsd } from "@/lib/domain/cost/micro-usd";

/**
 * A strict RFC 4180 reader, written independently of the writer: quoted fields may hold
 * commas, doubled quotes, CR and LF; records end with CRLF. Throws on anything else, so a
 * malformed file fails the test instead of parsing "close enough".
 */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  let fieldStarted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        if (i < text.length && text[i] !== "," && text[i] !== "\r") throw new Error(`character after closing quote at ${i}`);
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"') {
      if (fieldStarted) throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
      fieldStarted = true;
      i++;
    } else if (c === ",") {
      record.push(field);
      field = "";
      fieldStarted = false;
      i++;
    } else if (c === "\r") {
      if (text[i + 1] !== "\n") throw new Error(`bare CR at ${i}`);
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      fieldStarted = false;
      i += 2;
    } else if (c === "\n") {
      throw new Error(`bare LF at ${i}`);
    } else {
      field += c;
      fieldStarted = true;
      i++;
    }
  }
  if (quoted) throw new Error("unterminated quoted field");
  if (field !== "" || record.length > 0) throw new Error("the last record is not ended by CRLF");
  return records;
}

/** Reads a file back into objects keyed by the header. */
function readBack(text: string): Record<string, string>[] {
  const [header, ...records] = parseCsv(text);
  for (const r of records) expect(r).toHaveLength(header!.length);
  return records.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

function microUsdOf(cell: string): number {
  const parsed = usdAmountToMicroUsd(cell);
  if (parsed.kind !== "ok") throw new Error(`not money: "${cell}"`);
  return parsed.microUsd;
}

const NOV_26 = Date.UTC(2026, 10, 26);
const DAY = 86_400_000;

function aRow(overrides: Partial<CostExportRow> = {}): CostExportRow {
  return {
    dayMs: NOV_26,
    estimated: false,
    groupBy: "tag:team",
    bucket: { kind: "value", value: "payments" },
    service: "AWS Lambda",
    source: "tagged",
    billedMicroUsd: 12_345_678,
    effectiveMicroUsd: 11_000_000,
    tags: { team: "payments" },
    accountId: "123456789012",
    ...overrides,
  };
}

describe("formatMicroUsd", () => {
  it.each([
    [0, "0.000000"],
    [1, "0.000001"],
    [-1, "-0.000001"],
    [999_999, "0.999999"],
    [1_000_000, "1.000000"],
    [12_345_678, "12.345678"],
    [-12_345_678, "-12.345678"],
    [-1_000_000, "-1.000000"],
    // Lambda x86 GB-second price, FACTS.md §2: $0.0000166667 ≈ 17 µUSD after rounding.
    [17, "0.000017"],
    // 1.2 M requests at $0.20 per million (FACTS.md §2) = $0.24.
    [240_000, "0.240000"],
    [Number.MAX_SAFE_INTEGER, "9007199254.740991"],
    [-Number.MAX_SAFE_INTEGER, "-9007199254.740991"],
  ])("%d µUSD → %s", (microUsd, expected) => {
    expect(formatMicroUsd(microUsd)).toBe(expected);
  });

  it("never writes negative zero", () => {
    expect(formatMicroUsd(-0)).toBe("0.000000");
  });

  it.each([0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])("refuses %d, which is not whole safe micro-USD", (value) => {
    expect(() => formatMicroUsd(value)).toThrow(RangeError);
  });

  it("round-trips through the exact reader for any safe integer", () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (microUsd) => {
        const back = usdAmountToMicroUsd(formatMicroUsd(microUsd));
        expect(back).toEqual({ kind: "ok", microUsd: microUsd === 0 ? 0 : microUsd });
      }),
    );
  });
});

describe("toCostCsv", () => {
  it("writes the header and one CRLF-ended record per row, money exact", () => {
    const csv = toCostCsv([aRow({ estimated: true, source: "shared", pool: "shared-platform", billedMicroUsd: -1, effectiveMicroUsd: 0 })]);
    expect(csv).toBe(
      "date,account_id,group_by,allocation,bucket_kind,service,source,pool,cost_usd,effective_cost_usd,estimated\r\n" +
        "2026-11-26,123456789012,tag:team,payments,value,AWS Lambda,shared,shared-platform,-0.000001,0.000000,true\r\n",
    );
    expect(parseCsv(csv)[0]).toEqual([...COST_CSV_COLUMNS]);
  });

  it("writes only the header for no rows (no total line)", () => {
    expect(parseCsv(toCostCsv([]))).toEqual([[...COST_CSV_COLUMNS]]);
  });

  it("names unallocated and idle by bucket_kind, so a tag value spelled 'idle' stays distinct", () => {
    const rows = readBack(
      toCostCsv([
        aRow({ bucket: { kind: "idle" }, source: "idle", tags: {} }),
        aRow({ bucket: { kind: "value", value: "idle" } }),
        aRow({ bucket: { kind: "unallocated" }, source: "untagged", tags: {} }),
      ]),
    );
    expect(rows.map((r) => [r.allocation, r.bucket_kind, r.source])).toEqual([
      ["idle", "idle", "idle"],
      ["idle", "value", "tagged"],
      ["unallocated", "unallocated", "untagged"],
    ]);
  });

  it("sorts by date, then allocation, then service, whatever order the rows came in", () => {
    const rows = [
      aRow({ dayMs: NOV_26 + DAY, service: "AWS Lambda", bucket: { kind: "value", value: "checkout" } }),
      aRow({ dayMs: NOV_26, service: "Amazon DynamoDB", bucket: { kind: "value", value: "payments" } }),
      aRow({ dayMs: NOV_26, service: "AWS Lambda", bucket: { kind: "value", value: "payments" } }),
      aRow({ dayMs: NOV_26, service: "Amazon SQS", bucket: { kind: "value", value: "checkout" } }),
    ];
    const back = readBack(toCostCsv(rows));
    expect(back.map((r) => `${r.date} ${r.allocation} ${r.service}`)).toEqual([
      "2026-11-26 checkout Amazon SQS",
      "2026-11-26 payments AWS Lambda",
      "2026-11-26 payments Amazon DynamoDB",
      "2026-11-27 checkout AWS Lambda",
    ]);
    expect(toCostCsv([...rows].reverse())).toBe(toCostCsv(rows));
  });

  it.each([
    ["=HYPERLINK(\"http://evil.example\",\"click\")", "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\""],
    ["+1", "'+1"],
    ["-2", "'-2"],
    ["@SUM(A1:A9)", "'@SUM(A1:A9)"],
    ["\tcmd", "'\tcmd"],
    ["\rcmd", "\"'\rcmd\""],
    ["pay=ments", "pay=ments"],
  ])("neutralises the tag value %j as %j", (value, cell) => {
    const csv = toCostCsv([aRow({ bucket: { kind: "value", value } })]);
    const line = csv.split("\r\n")[1]!;
    expect(line.startsWith(`2026-11-26,123456789012,tag:team,${cell},value,`)).toBe(true);
    // Read back, the cell is the value behind one quote (or the value, when harmless).
    const expected = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    expect(readBack(csv)[0]!.allocation).toBe(expected);
  });

  it("neutralises service and pool names too, and never a negative amount", () => {
    const back = readBack(toCostCsv([aRow({ service: "=cmd|' /C calc'!A0", source: "shared", pool: "-pool", billedMicroUsd: -5_000_000, effectiveMicroUsd: -4_000_000 })]))[0]!;
    expect(back.service).toBe("'=cmd|' /C calc'!A0");
    expect(back.pool).toBe("'-pool");
    expect(back.cost_usd).toBe("-5.000000");
    expect(back.effective_cost_usd).toBe("-4.000000");
  });

  it.each([
    ["a, b", '"a, b"'],
    ['say "hi"', '"say ""hi"""'],
    ["line\nbreak", '"line\nbreak"'],
    ["cr\r\nlf", '"cr\r\nlf"'],
  ])("quotes %j per RFC 4180", (value, cell) => {
    const csv = toCostCsv([aRow({ bucket: { kind: "value", value } })]);
    expect(csv).toContain(`,tag:team,${cell},value,`);
    expect(readBack(csv)[0]!.allocation).toBe(value);
  });
});

describe("toFocusCsv", () => {
  it("writes FOCUS columns for a tagged Lambda row", () => {
    const csv = toFocusCsv([aRow({ dayMs: Date.UTC(2026, 11, 31), estimated: true })]);
    expect(parseCsv(csv)[0]).toEqual([...FOCUS_CSV_COLUMNS]);
    expect(readBack(csv)).toEqual([
      {
        BilledCost: "12.345678",
        EffectiveCost: "11.000000",
        ListCost: "12.345678",
        ContractedCost: "11.000000",
        BillingCurrency: "USD",
        BillingPeriodStart: "2026-12-01T00:00:00Z",
        BillingPeriodEnd: "2027-01-01T00:00:00Z",
        ChargePeriodStart: "2026-12-31T00:00:00Z",
        ChargePeriodEnd: "2027-01-01T00:00:00Z",
        ChargeCategory: "Usage",
        ChargeFrequency: "Usage-Based",
        ChargeDescription: "AWS Lambda allocated to payments (tagged)",
        ProviderName: "AWS",
        PublisherName: "AWS",
        InvoiceIssuerName: "AWS",
        ServiceName: "AWS Lambda",
        ServiceCategory: "Compute",
        SubAccountId: "123456789012",
        Tags: '{"team":"payments"}',
        x_AllocationGroupBy: "tag:team",
        x_AllocationBucket: "value:payments",
        x_AllocationSource: "tagged",
        x_SharedCostPool: "",
        x_Estimated: "true",
      },
    ]);
  });

  it("writes idle and shared rows with their bucket id, pool and empty tags", () => {
    const back = readBack(
      toFocusCsv([
        aRow({ bucket: { kind: "idle" }, source: "idle", tags: {} }),
        aRow({ service: "Amazon DynamoDB", source: "shared", pool: "shared-platform" }),
      ]),
    );
    expect(back.map((r) => [r.x_AllocationBucket, r.x_AllocationSource, r.x_SharedCostPool, r.Tags, r.ChargeDescription])).toEqual([
      ["idle", "idle", "", "{}", "AWS Lambda allocated to idle (idle)"],
      ["value:payments", "shared", "shared-platform", '{"team":"payments"}', "Amazon DynamoDB allocated to payments (shared)"],
    ]);
  });

  it("quotes Tags JSON (it holds quotes) and neutralises a hostile tag value inside the description", () => {
    const csv = toFocusCsv([aRow({ bucket: { kind: "value", value: "=1+1" }, tags: { team: "=1+1", env: "prod" } })]);
    const back = readBack(csv)[0]!;
    expect(back.Tags).toBe('{"env":"prod","team":"=1+1"}');
    expect(JSON.parse(back.Tags!)).toEqual({ env: "prod", team: "=1+1" });
    expect(back.x_AllocationBucket).toBe("value:=1+1");
    // The description starts with the service name, so it is not a formula; a hostile service is.
    expect(back.ChargeDescription).toBe("AWS Lambda allocated to =1+1 (tagged)");
    expect(readBack(toFocusCsv([aRow({ service: "@evil" })]))[0]!.ServiceName).toBe("'@evil");
  });

  it.each([
    ["AWS Lambda", "Compute"],
    ["Amazon API Gateway", "Networking"],
    ["Amazon DynamoDB", "Databases"],
    ["Amazon Simple Queue Service", "Integration"],
    ["Amazon Simple Notification Service", "Integration"],
    ["Amazon EventBridge", "Integration"],
    ["CloudWatch Events", "Integration"],
    ["AmazonCloudWatch", "Management and Governance"],
    ["AWS X-Ray", "Management and Governance"],
    ["Amazon Simple Storage Service", "Other"],
    ["Tax", "Other"],
  ])("maps the service %s to the FOCUS category %s", (service, category) => {
    expect(focusServiceCategory(service)).toBe(category);
  });
});

/** Random rows: any bucket, hostile text, credits and amounts up to a million dollars. */
const rowArb: fc.Arbitrary<CostExportRow> = fc.record({
  dayMs: fc.integer({ min: 0, max: 800 }).map((d) => Date.UTC(2025, 0, 1) + d * DAY),
  estimated: fc.boolean(),
  groupBy: fc.constantFrom("tag:team", "service", "tag:env"),
  bucket: fc.oneof(
    fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom("a", "b", ",", '"', "\n", "\r", "=", "+", "-", "@", "\t", " ", "é") }).map((value) => ({ kind: "value" as const, value })),
    fc.constant({ kind: "unallocated" as const }),
    fc.constant({ kind: "idle" as const }),
  ),
  service: fc.constantFrom("AWS Lambda", "Amazon DynamoDB", "=SUM(1)", "a,b", 'q"q'),
  source: fc.constantFrom("tagged" as const, "shared" as const, "untagged" as const, "idle" as const),
  billedMicroUsd: fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 }),
  effectiveMicroUsd: fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 }),
  tags: fc.dictionary(fc.constantFrom("team", "env"), fc.string({ maxLength: 6 })),
  accountId: fc.constant("123456789012"),
});

describe("parse-back property", () => {
  it("Σ cost_usd and Σ effective_cost_usd read back with integer math equal Σ of the rows, exactly", () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 40 }), (rows) => {
        const back = readBack(toCostCsv(rows));
        expect(back).toHaveLength(rows.length);
        expect(back.reduce((s, r) => s + microUsdOf(r.cost_usd!), 0)).toBe(sumBilledMicroUsd(rows));
        expect(back.reduce((s, r) => s + microUsdOf(r.effective_cost_usd!), 0)).toBe(rows.reduce((s, r) => s + r.effectiveMicroUsd, 0));
        // No text cell a spreadsheet would evaluate.
        for (const r of back) for (const col of ["allocation", "service", "pool", "group_by"]) expect(r[col]).not.toMatch(/^[=+\-@\t\r]/);
      }),
    );
  });

  it("the FOCUS file carries the same money, BilledCost = ListCost and EffectiveCost = ContractedCost", () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 40 }), (rows) => {
        const back = readBack(toFocusCsv(rows));
        expect(back.reduce((s, r) => s + microUsdOf(r.BilledCost!), 0)).toBe(sumBilledMicroUsd(rows));
        expect(back.reduce((s, r) => s + microUsdOf(r.EffectiveCost!), 0)).toBe(rows.reduce((s, r) => s + r.effectiveMicroUsd, 0));
        for (const r of back) {
          expect(r.ListCost).toBe(r.BilledCost);
          expect(r.ContractedCost).toBe(r.EffectiveCost);
          expect(typeof JSON.parse(r.Tags!)).toBe("object");
        }
      }),
    );
  });
});

describe("neutralizeFormula", () => {
  it("leaves ordinary text alone and prefixes formula starts", () => {
    expect(neutralizeFormula("payments")).toBe("payments");
    expect(neutralizeFormula("")).toBe("");
    expect(neutralizeFormula("-")).toBe("'-");
  });
});
