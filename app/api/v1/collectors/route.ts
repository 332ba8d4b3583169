import { authorize } from "@/app/_server/api-auth";
import { getDeps } from "@/app/_server/deps";
import { API_HEADERS, handleApi } from "@/app/_server/http-errors";
import { cadenceSettingsOf } from "@/lib/config/metrics-cadence";
import { getCollectorsView } from "@/lib/queries/collectors-view";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/collectors: the health of every collector per account/region (status, last
 * success, lag, failures in a row, last error, the last 24 h of runs, requests and estimated
 * API cost per operation) and the fleet summary — the Collectors page's table. Needs
 * `fleet:read` (see /api/v1/collectors/runs for why).
 */
export const GET = handleApi(async (request) => {
  await authorize(request, "fleet:read");
  const deps = getDeps();
  const view = await getCollectorsView(deps, { nowMs: Date.now(), cadence: cadenceSettingsOf(deps.config) });
  return Response.json(
    {
      generatedAt: new Date(view.nowMs).toISOString(),
      window: { from: new Date(view.window.fromMs).toISOString(), to: new Date(view.window.toMs).toISOString() },
      settleMinutes: view.settleMinutes,
      metricsCadenceMinutes: view.cadence.metricsCadenceMinutes,
      runsTruncated: view.runsTruncated,
      oldestRunAt: view.oldestRunMs === null ? null : new Date(view.oldestRunMs).toISOString(),
      summary: view.summary,
      collectors: view.rows,
    },
    { headers: API_HEADERS },
  );
});
