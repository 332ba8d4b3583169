/**
 * The what-if form's state: its text values, filling them from the function's settings or a
 * recommendation's proposal, and turning them into the body of POST /api/v1/whatif. Pure;
 * the panel renders it, the server computes the prefills.
 */
import { formatPcPlanInput } from "@/app/(console)/tuning/tuning-words";
import type { Recommendation } from "@/lib/domain/sizing/tuning-types";

export type WhatIfArchitecture = "x86_64" | "arm64";

/** Windows the form offers (hours ending now; the API keeps minutes up to 72 h). */
export const WHATIF_WINDOW_HOURS = [24, 72] as const;

export const WHATIF_MIN_MEMORY_MB = 128;
export const WHATIF_MAX_MEMORY_MB = 10_240;

/** The hint under the PC field. */
export const PC_FORMAT_HINT = "none, a fixed number (20), a daily UTC schedule (09:00-18:00=20,base=2) or target tracking (target=0.7,min=2,max=40)";

export interface WhatIfFormValues {
  memoryMb: string;
  architecture: WhatIfArchitecture;
  /** "none", "20", "09:00-18:00=20,base=2". */
  pc: string;
  /** Blank = no reserved concurrency. */
  reservedConcurrency: string;
  hours: string;
}

export type WhatIfField = keyof WhatIfFormValues;

export const WHATIF_FIELDS: readonly WhatIfField[] = ["memoryMb", "architecture", "pc", "reservedConcurrency", "hours"];

/** A form fill: the values and where they came from ("current settings", a recommendation's summary). */
export interface WhatIfPrefill {
  values: WhatIfFormValues;
  source: string;
  /** Something to know about the fill (e.g. apply sets less than the plan tried), said beside the form. */
  note: string | null;
}

export interface CurrentSettings {
  memoryMb: number;
  architecture: WhatIfArchitecture;
  reservedConcurrency: number | null;
  provisionedConcurrency: { qualifier: string; requested: number }[];
}

/** The form filled with the function's settings now (PC: the first qualifier's request, as the replay uses it). */
export function currentWhatIfValues(current: CurrentSettings): WhatIfFormValues {
  const pc = current.provisionedConcurrency[0];
  return {
    memoryMb: String(current.memoryMb),
    architecture: current.architecture,
    pc: pc === undefined || pc.requested === 0 ? "none" : String(pc.requested),
    reservedConcurrency: current.reservedConcurrency === null ? "" : String(current.reservedConcurrency),
    hours: "24",
  };
}

/** The form filled with a recommendation's proposal; what it does not change stays as now. */
export function proposalWhatIfPrefill(recommendation: Recommendation, current: WhatIfFormValues): WhatIfPrefill {
  const values = { ...current };
  let note: string | null = null;
  const change = recommendation.change;
  switch (recommendation.kind) {
    case "memory":
      if (change?.kind === "memory") values.memoryMb = String(change.memoryMb);
      else {
        const balanced = recommendation.options?.find((o) => o.strategy === "balanced");
        if (balanced) values.memoryMb = String(balanced.memoryMb);
      }
      break;
    case "architecture":
      values.architecture = current.architecture === "arm64" ? "x86_64" : "arm64";
      break;
    case "provisioned-concurrency":
      if (recommendation.pcPlan) values.pc = formatPcPlanInput(recommendation.pcPlan);
      else if (change?.kind === "provisioned-concurrency") values.pc = change.executions === 0 ? "none" : String(change.executions);
      if (recommendation.pcPlan?.kind === "schedule" || recommendation.pcPlan?.kind === "target-tracking") {
        note = "The what-if tries the whole plan; apply sets only its fixed part.";
      }
      break;
    case "reserved-concurrency":
      if (change?.kind === "reserved-concurrency") values.reservedConcurrency = change.executions === null ? "" : String(change.executions);
      break;
  }
  return { values, source: recommendation.summary, note };
}

/** The body of POST /api/v1/whatif. */
export interface WhatIfBody {
  functionName: string;
  accountId: string;
  region: string;
  hours: number;
  memoryMb: number;
  architecture: WhatIfArchitecture;
  pc: string;
  reservedConcurrency: number | null;
}

export type WhatIfBodyResult = { ok: true; body: WhatIfBody } | { ok: false; errors: Partial<Record<WhatIfField, string>> };

const INTEGER = /^\d+$/;

/**
 * Checks what the browser can check (the server validates again, and its 400 names the
 * field): memory a whole number 128–10,240 MB, reserved concurrency blank or a whole number,
 * PC not blank (blank reads as "none"), the window one the form offers.
 */
export function toWhatIfBody(values: WhatIfFormValues, ref: { functionName: string; accountId: string; region: string }): WhatIfBodyResult {
  const errors: Partial<Record<WhatIfField, string>> = {};
  const memory = values.memoryMb.trim();
  const memoryMb = Number(memory);
  if (!INTEGER.test(memory) || memoryMb < WHATIF_MIN_MEMORY_MB || memoryMb > WHATIF_MAX_MEMORY_MB) {
    errors.memoryMb = `a whole number of MB from ${WHATIF_MIN_MEMORY_MB} to ${WHATIF_MAX_MEMORY_MB.toLocaleString("en-US")}`;
  }
  const reserved = values.reservedConcurrency.trim();
  if (reserved !== "" && !INTEGER.test(reserved)) errors.reservedConcurrency = "a whole number, or blank for none";
  const hours = Number(values.hours);
  if (!(WHATIF_WINDOW_HOURS as readonly number[]).includes(hours)) errors.hours = "24 or 72 hours";
  const pc = values.pc.trim() === "" ? "none" : values.pc.trim();
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    body: {
      functionName: ref.functionName,
      accountId: ref.accountId,
      region: ref.region,
      hours,
      memoryMb,
      architecture: values.architecture,
      pc,
      reservedConcurrency: reserved === "" ? null : Number(reserved),
    },
  };
}

/** Maps the API's field names to the form's (they are the same names; anything else is shown above the form). */
export function groupWhatIfErrors(fields: Record<string, string>): { byField: Partial<Record<WhatIfField, string>>; elsewhere: [string, string][] } {
  const byField: Partial<Record<WhatIfField, string>> = {};
  const elsewhere: [string, string][] = [];
  for (const [name, message] of Object.entries(fields)) {
    const field = WHATIF_FIELDS.find((f) => f === name || name.startsWith(`${f}.`));
    if (field) byField[field] ??= message;
    else elsewhere.push([name, message]);
  }
  return { byField, elsewhere };
}
