import { rangeEntries } from "@/app/(console)/_format/links";
import type { ResolvedTimeRange } from "@/lib/queries/time-range";

/** Every SLO as OpenSLO v1 YAML (the API's export). */
export const SLO_EXPORT_HREF = "/api/v1/slos?format=openslo";

/** One SLO's page, `/slos/<id>`, with its contributors' range when given (a resolved range or a preset such as "7d"). */
export function sloDetailHref(id: string, range?: ResolvedTimeRange | string): string {
  const path = `/slos/${encodeURIComponent(id)}`;
  return range === undefined ? path : `${path}?${new URLSearchParams(rangeEntries(range)).toString()}`;
}
