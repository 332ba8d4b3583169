import { z } from "zod";
import { authorize } from "@/app/_server/api-auth";
import { getDeps } from "@/app/_server/deps";
import { API_HEADERS, NotFoundError, handleApi } from "@/app/_server/http-errors";
import { readTuningBody, toTuningApiError } from "@/app/_server/tuning-api";
import { TuningChangeSchema } from "@/lib/domain/sizing/tuning-change";
import { findRecommendation } from "@/lib/queries/tuning-view";
import { applyTuning } from "@/lib/use-cases/apply-tuning";

export const dynamic = "force-dynamic";

const ApplyBodySchema = z.strictObject({
  recommendationId: z.string().min(1, "must name a recommendation").max(400, "is too long"),
  /** The setting as the diff showed it; the apply is refused (409) when Lambda now says otherwise. */
  expectedBefore: TuningChangeSchema,
});

/**
 * POST /api/v1/tuning/apply (`tuning:apply`): `{ recommendationId, expectedBefore }` applies the
 * stored recommendation's change with one Lambda call and answers `{ entry }`, its audit entry.
 * 404 unknown recommendation; 409 when it has no applicable change or the setting is no longer
 * `expectedBefore` (nothing written; `current` says what it is now); 502/503 when Lambda refuses
 * or cannot be reached (the failed entry is recorded and sent as `entry`).
 */
export const POST = handleApi(async (request) => {
  const principal = await authorize(request, "tuning:apply");
  const body = await readTuningBody(request, ApplyBodySchema);
  const deps = getDeps();
  const recommendation = await findRecommendation(deps, body.recommendationId);
  if (recommendation === null) throw new NotFoundError(`no recommendation with id "${body.recommendationId}"`);
  const entry = await applyTuning(deps, { principal, recommendation, expectedBefore: body.expectedBefore, nowMs: Date.now() }).catch((e: unknown) => {
    throw toTuningApiError(e);
  });
  return Response.json({ entry }, { headers: API_HEADERS });
});
