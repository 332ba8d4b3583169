import Link from "next/link";
import { functionDetailHref } from "@/app/(console)/_format/links";
import { defaultSortDir, sortHref, type FunctionSortKey } from "@/app/(console)/functions/functions-href";
import { Sparkline } from "@/app/(console)/functions/sparkline.client";
import {
  MISSING,
  formatCompactNumber,
  formatDurationMs,
  formatInteger,
  formatMemoryMb,
  formatPercent,
  formatRangeLabel,
  formatSparklineLabel,
} from "@/app/(console)/_format/format";
import type { FunctionRow, FunctionSort } from "@/lib/queries/functions-view";
import type { ResolvedTimeRange } from "@/lib/queries/time-range";

interface Column {
  key: FunctionSortKey;
  label: string;
  numeric: boolean;
  /** What the number is, where its name alone could mislead. */
  hint?: string;
}

const COLUMNS: readonly Column[] = [
  { key: "functionName", label: "Function", numeric: false },
  { key: "runtime", label: "Runtime", numeric: false },
  { key: "architecture", label: "Architecture", numeric: false },
  { key: "memoryMb", label: "Memory", numeric: true },
  { key: "invocations", label: "Invocations", numeric: true },
  { key: "errors", label: "Errors", numeric: true },
  { key: "errorRatio", label: "Error rate", numeric: true },
  { key: "throttles", label: "Throttles", numeric: true },
  {
    key: "p99DurationMs",
    label: "p99 duration",
    numeric: true,
    hint: "Traffic-weighted mean of the per-minute p99s: CloudWatch percentiles do not add up across periods",
  },
];

const ARIA_SORT = { asc: "ascending", desc: "descending" } as const;
const DIR_WORDS = { asc: "ascending", desc: "descending" } as const;

function SortHeader({ column, range, sort }: { column: Column; range: ResolvedTimeRange; sort: FunctionSort }) {
  const active = sort.sort === column.key;
  const nextDir = active ? (sort.dir === "asc" ? "desc" : "asc") : defaultSortDir(column.key);
  return (
    <th
      scope="col"
      className={column.numeric ? "num" : undefined}
      aria-sort={active ? ARIA_SORT[sort.dir] : undefined}
      data-sort-key={column.key}
    >
      <Link href={sortHref(range, sort, column.key)} className="sort-link" title={`${column.hint ? `${column.hint}. ` : ""}Sort by ${column.label.toLowerCase()}, ${DIR_WORDS[nextDir]}`}
      >
        {column.label}
        <span className="sort-indicator" aria-hidden="true">
          {active ? (sort.dir === "asc" ? "▲" : "▼") : ""}
        </span>
      </Link>
    </th>
  );
}

/**
 * A count cell: compact text, the exact value on hover and in `data-value` for tests and
 * scripts. Zeros recede so the eye lands on the functions that have errors or throttles.
 */
function CountCell({ value, testId }: { value: number; testId: string }) {
  return (
    <td className={value === 0 ? "num zero" : "num"} data-testid={testId} data-value={value} title={formatInteger(value)}>
      {formatCompactNumber(value)}
    </td>
  );
}

/** The fleet table: one row per function, headers that sort through the URL. */
export function FunctionsTable({ rows, range, sort }: { rows: FunctionRow[]; range: ResolvedTimeRange; sort: FunctionSort }) {
  const sortedBy = COLUMNS.find((c) => c.key === sort.sort)?.label ?? sort.sort;
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="functions-table">
        <caption className="visually-hidden">
          {`${rows.length} functions, ${formatRangeLabel(range.label, range.window).toLowerCase()}, sorted by ${sortedBy.toLowerCase()} ${DIR_WORDS[sort.dir]}`}
        </caption>
        <thead>
          <tr>
            {COLUMNS.map((column) => (
              <SortHeader key={column.key} column={column} range={range} sort={sort} />
            ))}
            <th scope="col" className="sparkline-col" title="Invocations per hour across the range">
              Trend / h
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-testid="function-row" data-function-name={row.functionName}>
              <th scope="row" className="fn-name">
                <Link
                  className="fn-title"
                  href={functionDetailHref({ functionName: row.functionName, accountId: row.accountId, region: row.region }, range)}
                  data-testid="function-link"
                >
                  {row.functionName}
                </Link>
                <span className="fn-meta">
                  {row.region} · {row.accountId}
                </span>
              </th>
              <td>{row.runtime ?? MISSING}</td>
              <td>{row.architecture}</td>
              <td className="num" data-testid="memory" data-value={row.memoryMb}>
                {formatMemoryMb(row.memoryMb)}
              </td>
              <CountCell value={row.invocations} testId="invocations" />
              <CountCell value={row.errors} testId="errors" />
              <td className={row.errorRatio === 0 ? "num zero" : "num"} data-testid="error-rate" data-value={row.errorRatio ?? ""}>
                {formatPercent(row.errorRatio)}
              </td>
              <CountCell value={row.throttles} testId="throttles" />
              <td className="num" data-testid="p99" data-value={row.p99DurationMs ?? ""}>
                {formatDurationMs(row.p99DurationMs)}
              </td>
              <td className="sparkline-cell">
                {row.sparkline.length > 0 ? (
                  <Sparkline points={row.sparkline} label={formatSparklineLabel(row.sparkline)} />
                ) : (
                  <span className="muted">{MISSING}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
