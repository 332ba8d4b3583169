import { z } from "zod";
import { authorize } from "@/app/_server/api-auth";
import { getDeps } from "@/app/_server/deps";
import { API_HEADERS, BadRequestError, handleApi } from "@/app/_server/http-errors";
import { readSingleValued, searchParamsToRecord } from "@/app/_server/search-params";
import { AccountIdSchema, FunctionNameSchema, RegionSchema } from "@/lib/domain/shared/ids";
import { MAX_AUDIT_LIMIT, listTuningAudit } from "@/lib/queries/tuning-audit";

export const dynamic = "force-dynamic";

const AuditParamsSchema = z.object({
  accountId: AccountIdSchema.optional(),
  region: RegionSchema.optional(),
  functionName: FunctionNameSchema.optional(),
  limit: z.coerce
    .number({ error: `must be a whole number 1-${MAX_AUDIT_LIMIT}` })
    .int(`must be a whole number 1-${MAX_AUDIT_LIMIT}`)
    .min(1, `must be 1-${MAX_AUDIT_LIMIT}`)
    .max(MAX_AUDIT_LIMIT, `must be 1-${MAX_AUDIT_LIMIT}`)
    .optional(),
});

/**
 * GET /api/v1/tuning/audit?functionName=&accountId=&region=&limit= (`fleet:read`): applied
 * and rolled-back tuning changes, succeeded and failed, newest first → `{ entries }` (50 unless `limit`).
 */
export const GET = handleApi(async (request) => {
  await authorize(request, "fleet:read");
  const single = readSingleValued(searchParamsToRecord(new URL(request.url).searchParams), ["accountId", "region", "functionName", "limit"]);
  if (!single.ok) throw new BadRequestError(single.error);
  const parsed = AuditParamsSchema.safeParse(single.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BadRequestError(`${issue?.path.join(".") || "query"}: ${issue?.message ?? "invalid"}`);
  }
  const entries = await listTuningAudit(getDeps(), parsed.data);
  return Response.json({ entries }, { headers: API_HEADERS });
});
