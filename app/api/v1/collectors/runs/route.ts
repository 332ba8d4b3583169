import { authorize } from "@/app/_server/api-auth";
import { parseCollectorRunsParams } from "@/app/_server/collectors-params";
import { getDeps } from "@/app/_server/deps";
import { searchParamsToRecord } from "@/app/_server/search-params";
import { API_HEADERS, BadRequestError, handleApi } from "@/app/_server/http-errors";
import { listCollectorRuns } from "@/lib/queries/collectors-view";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/collectors/runs?collector=metrics&account=…&region=…&outcome=failed&since=24h&limit=100:
 * the collectors' run ledger, newest first (`since` is an ISO 8601 instant or a look-back like
 * 30m, 24h, 7d; `limit` 1..500, default 100). No paging: `truncated` says when more runs match.
 * Needs `fleet:read`, which every role holds: the ledger is operational metadata about
 * Sightline's own collection (the same account ids, regions and errors the Functions page
 * shows), and its cost figures are Sightline's own API bill, not the fleet's costs.
 */
export const GET = handleApi(async (request) => {
  await authorize(request, "fleet:read");
  const nowMs = Date.now();
  const params = parseCollectorRunsParams(searchParamsToRecord(new URL(request.url).searchParams), nowMs);
  if (!params.ok) throw new BadRequestError(params.error);
  const list = await listCollectorRuns(getDeps(), { ...params.value, nowMs });
  const { sinceMs, limit, ...filter } = list.query;
  return Response.json(
    { since: new Date(sinceMs).toISOString(), limit, filter, runs: list.runs, truncated: list.truncated },
    { headers: API_HEADERS },
  );
});
