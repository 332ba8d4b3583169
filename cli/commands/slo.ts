import { readFile, writeFile } from "node:fs/promises";
import { parseCommandArgs, formatHelp, UsageError, type CommandSpec } from "@/cli/args";
import type { Command } from "@/cli/command";
import { columns } from "@/cli/text-columns";
import { explainLocalTableError, openLocalTable } from "@/cli/local-table";
import { formatDateTimeUtc } from "@/app/(console)/_format/format";
import { LEVEL_WORDS, formatBudget, formatBurn, formatExhaustion, formatSli } from "@/app/(console)/slos/slo-words";
import { DynamoFunctionStore } from "@/lib/adapters/dynamodb/function-repository";
import { DynamoSettingsStore } from "@/lib/adapters/dynamodb/settings-repository";
import { DynamoSloStore } from "@/lib/adapters/dynamodb/slo-repository";
import { loadLocalConfig } from "@/lib/config/local-config";
import { SloIdSchema } from "@/lib/domain/slo/slo-definition";
import { UserFacingError } from "@/lib/domain/shared/user-facing-error";
import { getSlosView, type SlosView } from "@/lib/queries/slos-view";
import { defaultSloScope, exportSlos, importSlos, type SloFieldError } from "@/lib/use-cases/manage-slos";

const spec = {
  name: "slo",
  summary: "SLOs: status (budget, burn rates, alerts), OpenSLO import and export",
  usage: "sightline slo status [--json] | slo import <file.yaml|-> [--json] | slo export [--id <id>,…] [--out <file>]",
  options: {
    json: { type: "boolean" },
    id: { type: "string" },
    out: { type: "string" },
  },
  optionHelp: [
    "status            every SLO, most at risk first (what /slos and /api/v1/slos show)",
    "import <file|->   create or replace SLOs from OpenSLO v1 YAML (all documents or none)",
    "export            the SLOs as OpenSLO v1 YAML, to stdout or --out",
    "--json            status / import: print JSON",
    "--id <id>,…       export: only these SLOs",
    "--out <file>      export: write to a file instead of stdout",
  ],
} satisfies CommandSpec;

export type SloArgs =
  | { help: true }
  | { help: false; action: "status"; json: boolean }
  | { help: false; action: "import"; file: string; json: boolean }
  | { help: false; action: "export"; ids: string[]; out: string | null };

/** Parses `slo <action>` and its flags; every mistake is a UsageError naming the flag. */
export function parseSloArgs(argv: string[]): SloArgs {
  const { values, positionals } = parseCommandArgs(spec, argv);
  if (values.help) return { help: true };
  const [action, ...rest] = positionals;
  const json = values.json === true;
  if (action === "status") {
    if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}" after status`);
    if (values.id !== undefined || values.out !== undefined) throw new UsageError("--id and --out belong to `slo export`");
    return { help: false, action, json };
  }
  if (action === "import") {
    if (rest.length !== 1) throw new UsageError("give one file to import, or - for stdin: `sightline slo import slos.yaml`");
    if (values.id !== undefined || values.out !== undefined) throw new UsageError("--id and --out belong to `slo export`");
    return { help: false, action, file: rest[0]!, json };
  }
  if (action === "export") {
    if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"; choose SLOs with --id`);
    if (json) throw new UsageError("export writes OpenSLO YAML; --json belongs to status and import");
    const ids = (values.id ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    for (const id of ids) if (!SloIdSchema.safeParse(id).success) throw new UsageError(`--id: "${id}" is not an SLO id`);
    return { help: false, action, ids, out: values.out ?? null };
  }
  throw new UsageError(`unknown slo subcommand "${action ?? ""}"; use status, import or export (sightline slo --help)`);
}


/** The status table: one line per SLO, most at risk first, problems and burn pairs below. */
export function formatSloStatus(view: SlosView): string {
  if (view.rows.length === 0) return "No SLOs defined. Import some with `sightline slo import <file.yaml>` or create them on /slos.";
  const header = ["status", "slo", "target", "objective", "window", "sli", "budget left", "burn 1h", "exhausts"];
  const rows = view.rows.map((r) => [
    LEVEL_WORDS[r.level] + (r.stale ? "*" : ""),
    r.id,
    r.target,
    r.objectiveLabel,
    r.window,
    formatSli(r.sliRatio),
    formatBudget(r.budgetRemainingRatio),
    formatBurn(r.currentBurnRate),
    formatExhaustion(r.timeToExhaustionMs),
  ]);
  const notes: string[] = [];
  for (const r of view.rows) {
    if (r.problem !== null) notes.push(`${r.id}: ${r.problem}`);
    const firing = r.burnRates.filter((b) => b.firing);
    for (const b of firing) notes.push(`${r.id}: ${b.severity} — ${b.label} burning ${formatBurn(b.longBurnRate)} / ${formatBurn(b.shortBurnRate)} (threshold ${formatBurn(b.threshold)})`);
  }
  const through = view.throughMs === null ? "not evaluated yet" : `data through ${formatDateTimeUtc(view.throughMs)}`;
  const counts = `${view.counts.page} paging, ${view.counts.ticket} ticket, ${view.counts.ok} ok${view.counts.unevaluated > 0 ? `, ${view.counts.unevaluated} not evaluated` : ""}`;
  return [`SLOs (${counts}; ${through})`, "", ...columns([header, ...rows], new Set([5, 6, 7])), ...(notes.length > 0 ? ["", ...notes] : []), ...(view.rows.some((r) => r.stale) ? ["", "* edited since the last evaluation"] : [])].join("\n");
}

/** Import errors, one per line with the document and field path. */
export function formatImportErrors(errors: readonly SloFieldError[]): string {
  return ["The YAML was not imported (nothing was written):", ...errors.map((e) => `  ${e.document ? `document ${e.document}, ` : ""}${e.path}: ${e.message}`)].join("\n");
}

async function readInput(file: string): Promise<string> {
  if (file === "-") {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new UserFacingError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
}

export const sloCommand: Command = {
  spec,
  async run(argv) {
    const args = parseSloArgs(argv);
    if (args.help) return (console.log(formatHelp(spec)), 0);
    const { doc, tableName, dynamoEndpoint } = openLocalTable();
    const slos = new DynamoSloStore(doc, tableName);
    try {
      if (args.action === "status") {
        const view = await getSlosView({ slos });
        console.log(args.json ? JSON.stringify(view, null, 2) : formatSloStatus(view));
        return 0;
      }
      if (args.action === "export") {
        const yaml = await exportSlos(slos, args.ids);
        if (args.out === null) process.stdout.write(yaml);
        else {
          await writeFile(args.out, yaml);
          console.error(`wrote ${args.out}`);
        }
        return 0;
      }
      const yaml = await readInput(args.file);
      const [ownAccountId, functions] = await Promise.all([new DynamoSettingsStore(doc, tableName).getOwnAccountId(), new DynamoFunctionStore(doc, tableName).listFunctions()]);
      const defaults = defaultSloScope({ ownAccountId, region: loadLocalConfig().AWS_REGION, scopes: functions });
      const result = await importSlos(slos, { yaml, defaults, by: "cli", nowMs: Date.now() });
      if (!result.ok) {
        if (args.json) console.log(JSON.stringify({ ok: false, errors: result.errors }, null, 2));
        else console.error(formatImportErrors(result.errors));
        return 1;
      }
      const { created, updated, unchanged } = result.outcome;
      if (args.json) console.log(JSON.stringify({ ok: true, ...result.outcome }, null, 2));
      else console.log(`Imported: ${created.length} created, ${updated.length} updated, ${unchanged.length} unchanged.${created.length + updated.length > 0 ? ` The evaluator picks them up on its next run (every minute).` : ""}`);
      return 0;
    } catch (error) {
      throw explainLocalTableError(error, dynamoEndpoint);
    }
  },
};
