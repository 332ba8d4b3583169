import { isColdStartHeavy } from "@/lib/domain/cold-start/cold-start-heavy";

/**
 * Badges on service-map nodes: facts from outside the X-Ray graph worth seeing on the map.
 * A union: the map renders each kind it knows and the legend explains it.
 */
export type NodeBadge = ColdStartHeavyBadge | SloBurningBadge;

/** An SLO of some of the node's functions is alerting now (its latest evaluation). */
export interface SloBurningBadge {
  kind: "slo-burning";
  /** The worst level among them. */
  level: "page" | "ticket";
  /** Paging first, then by id. */
  slos: { id: string; name: string; level: "page" | "ticket" }[];
}

/** An SLO that is alerting, with the functions it counts. */
export interface BurningSlo {
  id: string;
  name: string;
  level: "page" | "ticket";
  functionNames: readonly string[];
}

/** The SLO badge of a node standing for `functionNames`, or null when none of their SLOs is alerting. */
export function sloBadgeOf(functionNames: readonly string[], burning: readonly BurningSlo[]): SloBurningBadge | null {
  const names = new Set(functionNames);
  const slos = burning
    .filter((s) => s.functionNames.some((f) => names.has(f)))
    .map(({ id, name, level }) => ({ id, name, level }))
    .sort((a, b) => (a.level === b.level ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.level === "page" ? -1 : 1));
  if (slos.length === 0) return null;
  return { kind: "slo-burning", level: slos[0]!.level, slos };
}

/** Some of the node's functions are cold-start heavy over the window (isColdStartHeavy). */
export interface ColdStartHeavyBadge {
  kind: "cold-start-heavy";
  /** The heavy functions, sorted (one for a function node; any number for a collapsed service). */
  functionNames: string[];
  /** Their invocations and cold starts summed over the window (REPORT lines). */
  invocations: number;
  coldStarts: number;
  /** coldStarts / invocations. */
  coldStartRatio: number;
}

/** A function's invocations and cold starts over a window. */
export interface ColdStartCounts {
  functionName: string;
  invocations: number;
  coldStarts: number;
}

/** Sums per-hour (per version, per memory size) counts into one total per function, sorted by name. */
export function sumColdStartCounts(rows: readonly ColdStartCounts[]): ColdStartCounts[] {
  const byFunction = new Map<string, ColdStartCounts>();
  for (const row of rows) {
    const sum = byFunction.get(row.functionName) ?? { functionName: row.functionName, invocations: 0, coldStarts: 0 };
    sum.invocations += row.invocations;
    sum.coldStarts += row.coldStarts;
    byFunction.set(row.functionName, sum);
  }
  return [...byFunction.values()].sort((a, b) => (a.functionName < b.functionName ? -1 : a.functionName > b.functionName ? 1 : 0));
}

/**
 * The cold-start badge of a node standing for `functions` (their window totals), or null when
 * none of them is cold-start heavy. Each function is judged on its own: a heavy function
 * inside a busy service would vanish in the service's sum.
 */
export function coldStartBadgeOf(functions: readonly ColdStartCounts[]): ColdStartHeavyBadge | null {
  const heavy = sumColdStartCounts(functions).filter((f) => isColdStartHeavy(f));
  if (heavy.length === 0) return null;
  const invocations = heavy.reduce((sum, f) => sum + f.invocations, 0);
  const coldStarts = heavy.reduce((sum, f) => sum + f.coldStarts, 0);
  return { kind: "cold-start-heavy", functionNames: heavy.map((f) => f.functionName), invocations, coldStarts, coldStartRatio: coldStarts / invocations };
}
