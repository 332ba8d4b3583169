import { z } from "zod";
import { authorize } from "@/app/_server/api-auth";
import { getDeps } from "@/app/_server/deps";
import { API_HEADERS, handleApi } from "@/app/_server/http-errors";
import { readTuningBody, toTuningApiError } from "@/app/_server/tuning-api";
import { rollbackTuning } from "@/lib/use-cases/apply-tuning";

export const dynamic = "force-dynamic";

const RollbackBodySchema = z.strictObject({
  auditId: z.string().regex(/^\d{13}-[0-9a-f]{8,32}$/, "must be a tuning audit entry id (<13 digits>-<hex>)"),
});

/**
 * POST /api/v1/tuning/rollback (`tuning:apply`): `{ auditId }` writes back the setting a
 * succeeded apply replaced and answers `{ entry }`, the rollback's audit entry. 404 unknown
 * entry; 409 when the entry cannot be rolled back (failed, a rollback, already rolled back) or
 * the setting changed since (`current`); 502/503 when Lambda refuses (the failed entry is recorded).
 */
export const POST = handleApi(async (request) => {
  const principal = await authorize(request, "tuning:apply");
  const body = await readTuningBody(request, RollbackBodySchema);
  const entry = await rollbackTuning(getDeps(), { principal, auditId: body.auditId, nowMs: Date.now() }).catch((e: unknown) => {
    throw toTuningApiError(e);
  });
  return Response.json({ entry }, { headers: API_HEADERS });
});
