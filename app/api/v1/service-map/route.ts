import { authorize } from "@/app/_server/api-auth";
import { getDeps } from "@/app/_server/deps";
import { searchParamsToRecord } from "@/app/_server/search-params";
import { API_HEADERS, BadRequestError, handleApi } from "@/app/_server/http-errors";
import { parseMapParams } from "@/app/_server/map-params";
import { getServiceMapView } from "@/lib/queries/service-map-view";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/service-map?range=24h (or from=…&to=…) [&account=…&region=…]
 * [&compare=previous|1d|7d | &baseFrom=…&baseTo=…] [&group=auto|service|none]:
 * the service map the /map page renders, as JSON (epoch-ms windows, plus `range` in ISO 8601).
 * Needs `fleet:read`.
 */
export const GET = handleApi(async (request) => {
  await authorize(request, "fleet:read");
  const nowMs = Date.now();
  const params = parseMapParams(searchParamsToRecord(new URL(request.url).searchParams), nowMs);
  if (!params.ok) throw new BadRequestError(params.error);
  const { range, scope, compare, grouping } = params.value;
  const view = await getServiceMapView(getDeps(), { scope, window: range.window, compareWindow: compare?.window ?? null, grouping, nowMs });
  return Response.json(
    {
      range: { label: range.label, from: new Date(range.window.fromMs).toISOString(), to: new Date(range.window.toMs).toISOString() },
      compareLabel: compare?.label ?? null,
      ...view,
    },
    { headers: API_HEADERS },
  );
});
