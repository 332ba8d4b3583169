import type { FunctionConfig } from "@/lib/domain/inventory/function-config";
import type { BurningSlo } from "@/lib/domain/service-map/node-badges";
import type { SloStore } from "@/lib/ports/slo-store";
import { functionsOfSlo } from "@/lib/use-cases/read-sli";

/** An alerting SLO with where it lives and what it measured, for the map badge and the overview. */
export interface AlertingSlo extends BurningSlo {
  accountId: string;
  region: string;
  service: string;
  /** The SLO's single function, for function targets; null for a service target. */
  functionName: string | null;
  currentBurnRate: number | null;
  budgetRemainingRatio: number | null;
  throughMs: number;
}

/**
 * The SLOs whose latest evaluation (of their current version) pages or tickets, with the
 * functions each counts. Two Queries, whatever the number of SLOs.
 */
export async function readAlertingSlos(slos: Pick<SloStore, "list" | "listStatuses">, functions: readonly FunctionConfig[]): Promise<AlertingSlo[]> {
  const [definitions, statuses] = await Promise.all([slos.list(), slos.listStatuses()]);
  const byId = new Map(definitions.map((d) => [d.id, d]));
  const alerting: AlertingSlo[] = [];
  for (const status of statuses) {
    const slo = byId.get(status.sloId);
    if (slo === undefined || status.problem !== null || status.level === "ok") continue;
    alerting.push({
      id: slo.id,
      name: slo.name,
      level: status.level,
      accountId: slo.accountId,
      region: slo.region,
      service: slo.service,
      functionName: slo.target.kind === "function" ? slo.target.functionName : null,
      functionNames: functionsOfSlo(slo, functions).map((f) => f.functionName),
      currentBurnRate: status.currentBurnRate,
      budgetRemainingRatio: status.budgetRemainingRatio,
      throughMs: status.throughMs,
    });
  }
  return alerting.sort((a, b) => (a.level === b.level ? a.id.localeCompare(b.id) : a.level === "page" ? -1 : 1));
}
