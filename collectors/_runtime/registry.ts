import { COLLECTOR_NAMES, type CollectorName } from "@/lib/domain/collection/collector-run";
import type { CollectorDefinition } from "@/collectors/_runtime/collector-definition";
import { inventoryCollector } from "@/collectors/inventory";
import { metricsCollector } from "@/collectors/metrics";
import { analyzeCollector } from "@/collectors/analyze";
import { costsCollector } from "@/collectors/costs";
import { logsInsightsCollector } from "@/collectors/logs-insights";
import { tracesCollector } from "@/collectors/traces";
import { slosCollector } from "@/collectors/slos";

/** Every collector, in the order a pass runs them (COLLECTOR_NAMES). */
export const ALL_COLLECTORS: readonly CollectorDefinition[] = [inventoryCollector, metricsCollector, logsInsightsCollector, tracesCollector, costsCollector, analyzeCollector, slosCollector].sort(
  (a, b) => COLLECTOR_NAMES.indexOf(a.name) - COLLECTOR_NAMES.indexOf(b.name),
);

export function collectorNamed(name: CollectorName): CollectorDefinition | undefined {
  return ALL_COLLECTORS.find((c) => c.name === name);
}
