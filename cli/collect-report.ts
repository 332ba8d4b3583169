import type { CollectorRun } from "@/lib/domain/collection/collector-run";
import type { Watermark } from "@/lib/ports/stores";
import { UsageError } from "@/cli/args";

/** Parses `--since` (`90m`, `36h`, `14d`) into whole hours, at least one. */
export function parseSince(raw: string): number {
  const match = /^(\d+)\s*([mhd])$/.exec(raw.trim());
  if (!match) throw new UsageError(`--since: expected a duration like 90m, 36h or 14d, got "${raw}"`);
  const amount = Number(match[1]);
  const hours = match[2] === "m" ? amount / 60 : match[2] === "h" ? amount : amount * 24;
  if (hours <= 0 || hours > 455 * 24) throw new UsageError(`--since: must be between 1 minute and 455 days, got "${raw}"`);
  return Math.max(1, Math.ceil(hours));
}

function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 2 * 86_400_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}

function pad(cells: string[][]): string[] {
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  return cells.map((row) => row.map((cell, i) => (i >= 3 && i <= 6 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join("  ").trimEnd());
}

/**
 * The end-of-run summary: one row per collector run with its outcome, API requests, estimated
 * AWS cost, items written, how far its data lags behind now, and its note or error.
 */
export function formatRunSummary(runs: readonly CollectorRun[], watermarks: readonly Watermark[], nowMs: number): string {
  const header = ["collector", "account/region", "outcome", "requests", "cost", "items", "lag", "note"];
  const rows = runs.map((run) => {
    const requests = Object.values(run.apiUsage).reduce((n, u) => n + u.requests, 0);
    const w = watermarks.find((m) => m.collector === run.collector && m.accountId === run.accountId && m.region === run.region);
    const lag = w?.throughMs != null ? formatDuration(Math.max(0, nowMs - w.throughMs)) : "—";
    return [
      run.collector,
      `${run.accountId}/${run.region}`,
      run.outcome,
      String(requests),
      `$${run.estimatedCostUsd.toFixed(4)}`,
      String(run.itemsWritten),
      lag,
      run.error ?? [run.note, ...(run.warnings.length > 0 ? [`${run.warnings.length} warning(s)`] : [])].filter(Boolean).join("; "),
    ];
  });
  const totalRequests = runs.reduce((n, r) => n + Object.values(r.apiUsage).reduce((m, u) => m + u.requests, 0), 0);
  const totalCost = runs.reduce((n, r) => n + r.estimatedCostUsd, 0);
  const totalItems = runs.reduce((n, r) => n + r.itemsWritten, 0);
  const failed = runs.filter((r) => r.outcome === "failed").length;
  const total = ["total", "", failed > 0 ? `${failed} failed` : "ok", String(totalRequests), `$${totalCost.toFixed(4)}`, String(totalItems), "", ""];
  return pad([header, ...rows, total]).join("\n");
}

/**
 * Progress bars, one line per running collector and account/region, redrawn in place on a
 * terminal. Off a terminal (CI logs), nothing is redrawn: the summary says it all.
 */
export class ProgressBars {
  private readonly lines = new Map<string, string>();
  private drawn = 0;
  constructor(private readonly out: NodeJS.WriteStream) {}

  update(label: string, done: number, total: number, unit: string): void {
    const width = 24;
    const ratio = total > 0 ? Math.min(1, done / total) : 0;
    const filled = Math.round(ratio * width);
    this.lines.set(label, `${label.padEnd(40)} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} ${unit}`);
    this.draw();
  }

  private draw(): void {
    if (this.drawn > 0) this.out.write(`\x1b[${this.drawn}A`);
    for (const line of this.lines.values()) this.out.write(`\x1b[2K${line}\n`);
    this.drawn = this.lines.size;
  }
}
