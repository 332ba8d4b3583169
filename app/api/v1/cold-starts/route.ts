import { authorize } from "@/app/_server/api-auth";
import { parseColdStartsParams } from "@/app/_server/cold-starts-params";
import { getDeps } from "@/app/_server/deps";
import { searchParamsToRecord } from "@/app/_server/search-params";
import { AmbiguousError, API_HEADERS, BadRequestError, NotFoundError, handleApi } from "@/app/_server/http-errors";
import { getColdStartsView, getFunctionColdStarts } from "@/lib/queries/cold-starts-view";
import { lookupFunction } from "@/lib/queries/function-lookup";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/cold-starts?range=24h (or from=…&to=… in ISO 8601): the fleet ranked by
 * cold-start impact, as on the Cold starts page.
 * GET /api/v1/cold-starts?function=<name>[&account=<id>&region=<r>]&range=…: one function's
 * cold starts in depth (by hour, version and memory size, INIT cost, p99 share).
 * Needs `fleet:read`. 400 names the parameter; 404 for a function not in inventory.
 */
export const GET = handleApi(async (request) => {
  await authorize(request, "fleet:read");
  const nowMs = Date.now();
  const params = parseColdStartsParams(searchParamsToRecord(new URL(request.url).searchParams), nowMs);
  if (!params.ok) throw new BadRequestError(params.error);
  const { range, target } = params.value;
  const deps = getDeps();
  const window = {
    fromMs: range.window.fromMs,
    toMs: range.window.toMs,
    from: new Date(range.window.fromMs).toISOString(),
    to: new Date(range.window.toMs).toISOString(),
    range: range.label,
  };
  if (target === null) {
    const view = await getColdStartsView(deps, { window: range.window, nowMs });
    return Response.json({ ...view, window }, { headers: API_HEADERS });
  }

  const lookup = await lookupFunction(deps.functions, target);
  const where = [target.accountId && `account ${target.accountId}`, target.region && `region ${target.region}`].filter(Boolean).join(", ");
  const unknown = `function "${target.functionName}"${where ? ` (${where})` : ""} is not in the collected inventory`;
  if (lookup.kind === "not-found") {
    throw new NotFoundError(lookup.known === 0 ? `${unknown}: nothing has been collected yet` : unknown, { elsewhere: lookup.elsewhere });
  }
  if (lookup.kind === "ambiguous") {
    const places = lookup.choices.map((c) => `${c.accountId}/${c.region}`).join(", ");
    throw new AmbiguousError(`function: "${target.functionName}" exists in ${lookup.choices.length} places (${places}); add account and region`, { choices: lookup.choices });
  }
  const view = await getFunctionColdStarts(deps, { ref: lookup.ref, window: range.window, nowMs });
  if (view === null) throw new NotFoundError(unknown);
  return Response.json({ ...view, window }, { headers: API_HEADERS });
});
