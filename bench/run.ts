/**
 * `npm run bench`: the performance figures the README quotes, measured side by side in one run
 * against the simulated AWS account and dynalite on this machine, through the same code the
 * product runs. Prints a table per section and writes bench/results/<date>.json.
 *
 *   npm run bench                               # every section (tens of minutes on 2 cores)
 *   npm run bench -- --only api-calls,analysis  # some sections
 *   npm run bench -- --quick                    # smaller sizes, to try the bench out
 *   npm run bench -- --work-dir /tmp/sl-bench   # keep the stores; a later run with the same
 *                                               # --work-dir reuses the seeded 1,000-function fleet
 *
 * Figures, not pass/fail: targets are reported as met or missed; the exit code is non-zero
 * only when a section could not run at all.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadSeededFleets } from "@/bench/lib/fleet-stack";
import { formatSection, machineFacts, writeReport, type BenchReport, type BenchSection } from "@/bench/lib/report";
import { apiCallsSection } from "@/bench/sections/api-calls";
import { backfillSection } from "@/bench/sections/backfill";
import { consoleLoadSection } from "@/bench/sections/console-load";
import { analysisSection } from "@/bench/sections/analysis";

/** In run order: backfill leaves a seeded 1,000-function store that console-load reuses. */
const SECTIONS: BenchSection[] = [apiCallsSection, backfillSection, consoleLoadSection, analysisSection];

const { values } = parseArgs({ options: { only: { type: "string" }, quick: { type: "boolean", default: false }, out: { type: "string" }, "work-dir": { type: "string" } } });
const only = values.only?.split(",").map((s) => s.trim()).filter(Boolean);
const unknown = only?.filter((id) => !SECTIONS.some((s) => s.id === id)) ?? [];
if (unknown.length > 0) {
  console.error(`--only: unknown section ${unknown.map((u) => `"${u}"`).join(", ")}; the sections are ${SECTIONS.map((s) => s.id).join(", ")}`);
  process.exit(2);
}

async function main(): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  const startedAt = new Date();
  const keptWorkDir = values["work-dir"];
  if (keptWorkDir) mkdirSync(keptWorkDir, { recursive: true });
  const workDir = keptWorkDir ?? mkdtempSync(join(tmpdir(), "sightline-bench-"));
  const report: BenchReport = {
    date: startedAt.toISOString().slice(0, 10),
    startedAt: startedAt.toISOString(),
    machine: machineFacts(),
    quick: values.quick ?? false,
    sections: [],
    failures: [],
  };
  const shared = new Map<string, unknown>();
  const log = (message: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
  for (const seeded of loadSeededFleets({ quick: report.quick, workDir, log, shared })) {
    log(`reusing fleet:${seeded.functions} × ${seeded.days} days in ${seeded.dir} (collected at ${new Date(seeded.nowMs).toISOString()})`);
  }
  console.log(`Sightline bench — ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGiB} GiB, Node ${report.machine.node}${report.quick ? " (--quick: not for figures)" : ""}`);
  try {
    for (const section of SECTIONS.filter((s) => !only || only.includes(s.id))) {
      log(`${section.id}: ${section.title}`);
      const started = performance.now();
      try {
        const result = await section.run({ quick: report.quick, workDir, log: (m) => log(`${section.id}: ${m}`), shared });
        const done = { id: section.id, title: section.title, seconds: (performance.now() - started) / 1000, ...result };
        report.sections.push(done);
        console.log(formatSection(done));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        report.failures.push({ id: section.id, error: message });
        console.error(`\n✗ ${section.id} could not run: ${message}`);
      }
    }
  } finally {
    for (const value of shared.values()) {
      const closable = value as { close?: () => Promise<void> };
      if (typeof closable?.close === "function") await closable.close().catch(() => {});
    }
    if (!keptWorkDir) rmSync(workDir, { recursive: true, force: true });
  }
  const path = writeReport(report, values.out ?? join(import.meta.dirname, "results"));
  const targets = report.sections.flatMap((s) => s.targets);
  console.log(`\n${targets.filter((t) => t.met).length} of ${targets.length} targets met; figures in ${path}`);
  return report.failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
