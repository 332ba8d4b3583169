import { authorize } from "@/app/_server/api-auth";
import { getDeps } from "@/app/_server/deps";
import { searchParamsToRecord } from "@/app/_server/search-params";
import { parseFunctionsParams } from "@/app/_server/functions-params";
import { API_HEADERS, BadRequestError, handleApi } from "@/app/_server/http-errors";
import { getFunctionsView } from "@/lib/queries/functions-view";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/functions?range=24h&sort=invocations&dir=desc (or from=…&to=… in ISO 8601):
 * the same fleet table as the Functions page. Needs `fleet:read`.
 */
export const GET = handleApi(async (request) => {
  await authorize(request, "fleet:read");
  const nowMs = Date.now();
  const params = parseFunctionsParams(searchParamsToRecord(new URL(request.url).searchParams), nowMs);
  if (!params.ok) throw new BadRequestError(params.error);
  const view = await getFunctionsView(getDeps(), { window: params.value.range.window, sort: params.value.sort, nowMs });
  return Response.json(
    {
      window: {
        from: new Date(view.window.fromMs).toISOString(),
        to: new Date(view.window.toMs).toISOString(),
        range: params.value.range.label,
      },
      sort: view.sort,
      collection: view.collection,
      functions: view.rows,
    },
    { headers: API_HEADERS },
  );
});
