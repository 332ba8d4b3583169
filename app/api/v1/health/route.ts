import { getDeps } from "@/app/_server/deps";
import { API_HEADERS, handleApi } from "@/app/_server/http-errors";
import { summarizeCollectionStatus } from "@/lib/queries/collection-status";
import { describeError } from "@/lib/use-cases/describe-error";

export const dynamic = "force-dynamic";

/** Answer of GET /api/v1/health; `degraded` when collection is stale, failing or never ran. */
interface HealthBody {
  status: "ok" | "degraded";
  dataLastCollectedAt: string | null;
  /** Whether a collector's last attempt failed; the error itself is shown to signed-in users only. */
  collectionFailing: boolean;
}

/**
 * Unauthenticated liveness and data freshness for load balancers and the supervisor; it names
 * no endpoint or error text, which could tell an outsider about the deployment. The
 * server answers 200 while it can read the store (even an empty one); if the store itself is
 * unreachable it answers 503 without internal detail, and logs why.
 */
export const GET = handleApi(async () => {
  let watermarks;
  try {
    watermarks = await getDeps().watermarks.list();
  } catch (error) {
    console.error(`[sightline] health: cannot read collection status: ${describeError(error)}`);
    const body: HealthBody = { status: "degraded", dataLastCollectedAt: null, collectionFailing: false };
    return Response.json(body, { status: 503, headers: API_HEADERS });
  }
  const collection = summarizeCollectionStatus(watermarks, Date.now());
  const body: HealthBody = {
    status: collection.stale || collection.lastError !== null ? "degraded" : "ok",
    dataLastCollectedAt: collection.lastSuccessMs === null ? null : new Date(collection.lastSuccessMs).toISOString(),
    collectionFailing: collection.lastError !== null,
  };
  return Response.json(body, { headers: API_HEADERS });
});
