import { parseOpenSloYaml, toOpenSloYaml } from "@/lib/domain/slo/openslo";
import { SloSpecSchema, type SloDefinition, type SloSpec } from "@/lib/domain/slo/slo-definition";
import { SloNotFoundError } from "@/lib/domain/slo/slo-errors";
import type { SloStore } from "@/lib/ports/slo-store";

/** A field of an SLO (or of a YAML document) that is invalid, and why. */
export interface SloFieldError {
  path: string;
  message: string;
  /** 1-based YAML document, for imports (0: the file as a whole). */
  document?: number;
}

export type SloSpecResult = { ok: true; spec: SloSpec } | { ok: false; errors: SloFieldError[] };

/** Validates an SLO as a JSON body (console form, API): every problem with its field path. */
export function parseSloSpec(body: unknown): SloSpecResult {
  const parsed = SloSpecSchema.safeParse(body);
  if (parsed.success) return { ok: true, spec: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => ({
      path: issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "") || "(body)",
      message: issue.message,
    })),
  };
}

/** JSON with object keys sorted at every level, so equal specs compare equal whatever the key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Compares what a person edits (not the audit fields): an import of an unchanged SLO writes nothing. */
function sameSpec(a: SloSpec, b: SloSpec): boolean {
  return canonicalJson(toSpecOnly(a)) === canonicalJson(toSpecOnly(b));
}

function toSpecOnly(s: SloSpec | SloDefinition): SloSpec {
  return "version" in s ? toSpec(s) : s;
}

export interface ImportOutcome {
  created: string[];
  updated: string[];
  unchanged: string[];
}

export type ImportResult = { ok: true; outcome: ImportOutcome } | { ok: false; errors: SloFieldError[] };

/**
 * Imports OpenSLO v1 YAML: every document is validated first and nothing is written unless
 * all are valid; then each SLO is created, or replaces the stored one with the same id (a new
 * version), or is left alone when nothing changed.
 */
export async function importSlos(
  store: SloStore,
  input: { yaml: string; defaults: { accountId: string; region: string } | null; by: string; nowMs: number },
): Promise<ImportResult> {
  // Without a default scope, a document that does not name its account and region is invalid
  // (the empty defaults fail validation with the annotation to add).
  const parsed = parseOpenSloYaml(input.yaml, input.defaults ?? { accountId: "", region: "" });
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  const existing = new Map((await store.list()).map((s) => [s.id, s]));
  const outcome: ImportOutcome = { created: [], updated: [], unchanged: [] };
  for (const spec of parsed.slos) {
    const current = existing.get(spec.id);
    if (current === undefined) {
      await store.create(spec, input.by, input.nowMs);
      outcome.created.push(spec.id);
    } else if (sameSpec(current, spec)) {
      outcome.unchanged.push(spec.id);
    } else {
      await store.update(spec, current.version, input.by, input.nowMs);
      outcome.updated.push(spec.id);
    }
  }
  return { ok: true, outcome };
}

/** The stored SLOs as OpenSLO v1 YAML (all, or the ids given; an unknown id is an error). */
export async function exportSlos(store: SloStore, ids: readonly string[] = []): Promise<string> {
  const all = await store.list();
  const byId = new Map(all.map((s) => [s.id, s]));
  for (const id of ids) if (!byId.has(id)) throw new SloNotFoundError(id);
  const chosen: SloDefinition[] = ids.length === 0 ? all.sort((a, b) => a.id.localeCompare(b.id)) : ids.map((id) => byId.get(id)!);
  return toOpenSloYaml(chosen.map(toSpec));
}

/** The editable part of a stored SLO. */
export function toSpec(definition: SloDefinition): SloSpec {
  const { version: _version, createdAtMs: _created, updatedAtMs: _updated, updatedBy: _by, ...spec } = definition;
  return spec;
}

/**
 * The account and region an imported SLO without `sightline.dev/account-id` / `region`
 * annotations is about: the collectors' own account in the console's region, else the only
 * account/region collected; null when neither says (the documents must then name them).
 */
export function defaultSloScope(input: { ownAccountId: string | null; region: string; scopes: readonly { accountId: string; region: string }[] }): { accountId: string; region: string } | null {
  if (input.ownAccountId !== null) return { accountId: input.ownAccountId, region: input.region };
  const distinct = new Map(input.scopes.map((s) => [`${s.accountId}#${s.region}`, s]));
  return distinct.size === 1 ? [...distinct.values()][0]! : null;
}
