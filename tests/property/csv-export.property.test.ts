import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { COST_CSV_COLUMNS, FOCUS_CSV_COLUMNS, toCostExport } from "@/lib/domain/cost/cost-export";
import type { CostExportRow } from "@/lib/domain/cost/cost-types";

/**
 * The showback exports (CSV and FOCUS) with arbitrary text in every text field — the tag values,
 * service names, pools and account ids come from AWS and from finance's settings, so any of them
 * may hold a formula, a quote, a comma or a line break.
 *
 * Properties: the file parses back (RFC 4180) to one record per row with every column; no text
 * cell starts with a character a spreadsheet evaluates (OWASP CSV Injection: = + - @ tab CR);
 * a cell reads back as its value, with only a leading `'` added where it was neutralised.
 */

/** Inputs tried per property (fast-check numRuns). */
const RUNS = { formula: 300, roundTrip: 200 } as const;

/** Text biased toward what breaks CSV and spreadsheets. */
const hostileText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.tuple(fc.constantFrom("=", "+", "-", "@", "\t", "\r", "\n", '"', ",", "'", " =", "\uFF1D"), fc.string({ maxLength: 20 })).map(([a, b]) => a + b),
  fc.constantFrom('=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "+1+1", "-1+1", "\t=1", "\r=1", 'a","b', "line\r\nbreak", '"'),
);

const row: fc.Arbitrary<CostExportRow> = fc.record({
  dayMs: fc.integer({ min: 0, max: 3000 }).map((d) => Date.UTC(2025, 0, 1) + d * 86_400_000),
  estimated: fc.boolean(),
  groupBy: hostileText,
  bucket: fc.oneof(hostileText.map((value) => ({ kind: "value" as const, value })), fc.constant({ kind: "unallocated" as const }), fc.constant({ kind: "idle" as const })),
  service: hostileText,
  source: fc.constantFrom("tagged", "shared", "unallocated", "idle", "untagged-lambda") as fc.Arbitrary<CostExportRow["source"]>,
  pool: fc.option(hostileText, { nil: undefined }),
  billedMicroUsd: fc.integer({ min: -1e12, max: 1e12 }),
  effectiveMicroUsd: fc.integer({ min: -1e12, max: 1e12 }),
  tags: fc.dictionary(hostileText, hostileText, { maxKeys: 2 }),
  accountId: hostileText,
}) as fc.Arbitrary<CostExportRow>;

/** RFC 4180 reader (CRLF records, `"` quoting with doubled quotes), independent of the writer. */
function readCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
      } else {
        field += c;
        i++;
      }
    } else if (c === '"' && field === "") {
      quoted = true;
      i++;
    } else if (c === ",") {
      record.push(field);
      field = "";
      i++;
    } else if (c === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i += 2;
    } else {
      if (c === '"' || c === "\r" || c === "\n") throw new Error(`an unquoted ${JSON.stringify(c)} inside a field at ${i}`);
      field += c;
      i++;
    }
  }
  expect(quoted, "a quote left open").toBe(false);
  expect(field === "" && record.length === 0, "the last record ends with CRLF").toBe(true);
  return records;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const MONEY = /^-?\d+\.\d{6}$/;

describe.each([
  ["csv", COST_CSV_COLUMNS],
  ["focus", FOCUS_CSV_COLUMNS],
] as const)("the %s export", (format, columns) => {
  it("parses back to one full record per row, and no cell starts a formula", () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 6 }), (rows) => {
        const records = readCsv(toCostExport(format, rows));
        expect(records[0]).toEqual([...columns]);
        expect(records).toHaveLength(rows.length + 1);
        for (const record of records.slice(1)) {
          expect(record).toHaveLength(columns.length);
          // Money is the one kind of cell allowed a leading "-": it is a number, and stays one.
          for (const cell of record) if (!MONEY.test(cell)) expect(FORMULA_START.test(cell), JSON.stringify(cell)).toBe(false);
        }
      }),
      { numRuns: RUNS.formula },
    );
  });
});

describe("the csv export's text cells", () => {
  it("read back as the value, with a leading ' only where the value could start a formula", () => {
    fc.assert(
      fc.property(row, (r) => {
        const [record] = readCsv(toCostExport("csv", [r])).slice(1);
        const cell = (name: (typeof COST_CSV_COLUMNS)[number]) => record![COST_CSV_COLUMNS.indexOf(name)]!;
        const expectText = (value: string, got: string) => expect(got).toBe(FORMULA_START.test(value) ? `'${value}` : value);
        expectText(r.accountId, cell("account_id"));
        expectText(r.groupBy, cell("group_by"));
        expectText(r.service, cell("service"));
        expectText(r.pool ?? "", cell("pool"));
        if (r.bucket.kind === "value") expectText(r.bucket.value, cell("allocation"));
      }),
      { numRuns: RUNS.roundTrip },
    );
  });
});
