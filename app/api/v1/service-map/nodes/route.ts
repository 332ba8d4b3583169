import { authorize } from "@/app/_server/api-auth";
import { getDeps } from "@/app/_server/deps";
import { searchParamsToRecord } from "@/app/_server/search-params";
import { API_HEADERS, BadRequestError, NotFoundError, handleApi } from "@/app/_server/http-errors";
import { parseMapNodeParams } from "@/app/_server/map-params";
import { getServiceMapNodeDetail, UnknownMapNodeError } from "@/lib/queries/service-map-view";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/service-map/nodes?node=<id>&account=…&region=…&from=…&to=… [&group=service|none]:
 * one node of the map in detail (latency histogram, outcomes, exemplar traces with X-Ray
 * console links), what the map's side panel shows. Needs `fleet:read`.
 */
export const GET = handleApi(async (request) => {
  await authorize(request, "fleet:read");
  const params = parseMapNodeParams(searchParamsToRecord(new URL(request.url).searchParams), Date.now());
  if (!params.ok) throw new BadRequestError(params.error);
  try {
    const detail = await getServiceMapNodeDetail(getDeps(), params.value);
    return Response.json(detail, { headers: API_HEADERS });
  } catch (error) {
    if (error instanceof UnknownMapNodeError) throw new NotFoundError(error.message);
    throw error;
  }
});
