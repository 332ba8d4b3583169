import type { FunctionLinkTarget } from "@/app/(console)/_format/links";

/** The fleet's tuning list. */
export const TUNING_HREF = "/tuning";

/** One function's tuning page: `/tuning/<name>?account=…&region=…` (account and region may be left out when the name is unique). */
export function functionTuningHref(target: FunctionLinkTarget): string {
  const entries: [string, string][] = [];
  if (target.accountId !== undefined) entries.push(["account", target.accountId]);
  if (target.region !== undefined) entries.push(["region", target.region]);
  const query = new URLSearchParams(entries).toString();
  return `/tuning/${encodeURIComponent(target.functionName)}${query ? `?${query}` : ""}`;
}
