import { authorize } from "@/app/_server/api-auth";
import { getDeps } from "@/app/_server/deps";
import { API_HEADERS, handleApi } from "@/app/_server/http-errors";
import { getOverviewView } from "@/lib/queries/overview-view";

export const dynamic = "force-dynamic";

/** GET /api/v1/overview: what is wrong now, the same view model as the overview page. Needs `fleet:read`. */
export const GET = handleApi(async (request) => {
  await authorize(request, "fleet:read");
  const view = await getOverviewView(getDeps(), { nowMs: Date.now() });
  return Response.json(view, { headers: API_HEADERS });
});
