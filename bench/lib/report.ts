/**
 * The shape every benchmark section reports in, and how `npm run bench` prints and stores it.
 * Figures, not pass/fail: a target that is missed is reported as missed, never asserted.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";

/** A target from the issue, and whether this run met it. */
export interface BenchTarget {
  /** What is measured, e.g. "GetMetricData calls / floor (fleet:1000, 14 days)". */
  name: string;
  /** The bar, e.g. "= 1.00" or "< 300 ms". */
  target: string;
  /** This run's figure, formatted, e.g. "1.00" or "212 ms". */
  actual: string;
  met: boolean;
}

/** One section's result: a printed table plus the raw figures for the JSON file. */
export interface BenchSectionResult {
  id: string;
  title: string;
  columns: string[];
  rows: (string | number)[][];
  targets: BenchTarget[];
  /** Sentences printed under the table: how it was measured, what was assumed. */
  notes: string[];
  /** Raw, machine-readable figures (numbers, not formatted strings) for bench/results/<date>.json. */
  data: unknown;
  seconds: number;
}

/** What every section gets from the runner. */
export interface BenchContext {
  /** `--quick`: smaller sizes and shorter runs, for trying the bench out (not for figures). */
  quick: boolean;
  /** A scratch directory for this run; removed at the end. */
  workDir: string;
  /** Progress lines (stderr), so a long run shows it is alive. */
  log(message: string): void;
  /** Values one section leaves for a later one (e.g. a seeded 1,000-function store). */
  shared: Map<string, unknown>;
}

export interface BenchSection {
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<Omit<BenchSectionResult, "id" | "title" | "seconds">>;
}

export interface BenchReport {
  date: string;
  startedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  quick: boolean;
  sections: BenchSectionResult[];
  /** Sections that threw, with the message: the rest of the run still reports. */
  failures: { id: string; error: string }[];
}

export function machineFacts(): BenchReport["machine"] {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** A plain-text table with right-aligned numbers. */
export function formatTable(columns: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [columns.map(String), ...rows.map((row) => row.map(String))];
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  const numeric = columns.map((_, i) => rows.length > 0 && rows.every((row) => typeof row[i] === "number" || /^[-$~<>≈]?[\d.,]+\s?[%×a-zA-Z/]*$/.test(String(row[i] ?? ""))));
  const line = (row: readonly string[]) =>
    row.map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(cells[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

export function formatSection(section: BenchSectionResult): string {
  const out = [`\n## ${section.title}  (${section.seconds.toFixed(0)} s)\n`, formatTable(section.columns, section.rows)];
  if (section.targets.length > 0) {
    out.push("", formatTable(["target", "bar", "this run", "met"], section.targets.map((t) => [t.name, t.target, t.actual, t.met ? "yes" : "NO"])));
  }
  for (const note of section.notes) out.push(`  · ${note}`);
  return out.join("\n");
}

/** Writes bench/results/<date>.json (a second run the same day gets -2, -3 …) and returns its path. */
export function writeReport(report: BenchReport, dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (let n = 1; ; n++) {
    const path = join(dir, `${report.date}${n === 1 ? "" : `-${n}`}.json`);
    try {
      writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`, { flag: "wx" });
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}

/** Percentile of an ascending array (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}
