import { authorize } from "@/app/_server/api-auth";
import { getDeps } from "@/app/_server/deps";
import { AmbiguousError, API_HEADERS, BadRequestError, NotFoundError, handleApi } from "@/app/_server/http-errors";
import { AccountIdSchema, FunctionNameSchema, RegionSchema } from "@/lib/domain/shared/ids";
import { getFunctionTuningView, getTuningView } from "@/lib/queries/tuning-view";

export const dynamic = "force-dynamic";

/** An optional query parameter checked against its schema; the error names it. */
function param(url: URL, name: string, schema: typeof AccountIdSchema): string | undefined {
  const value = url.searchParams.get(name);
  if (value === null || value === "") return undefined;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new BadRequestError(`${name}: ${parsed.error.issues[0]?.message ?? "is invalid"}, got "${value.slice(0, 80)}"`);
  return parsed.data;
}

/**
 * GET /api/v1/tuning (`fleet:read`): every stored recommendation, ranked by monthly saving per
 * unit of risk, with a row per function (findings, or why there are none) and totals.
 * GET /api/v1/tuning?function=<name>[&account=&region=]: one function's recommendations,
 * notes, duration model and audit trail; 404 when unknown, 409 when the name is ambiguous.
 */
export const GET = handleApi(async (request) => {
  await authorize(request, "fleet:read");
  const url = new URL(request.url);
  const functionName = param(url, "function", FunctionNameSchema);
  const accountId = param(url, "account", AccountIdSchema);
  const region = param(url, "region", RegionSchema);
  const deps = getDeps();
  if (functionName === undefined) return Response.json(await getTuningView(deps), { headers: API_HEADERS });
  const result = await getFunctionTuningView(deps, { functionName, accountId, region });
  if (result.kind === "ambiguous") throw new AmbiguousError(`"${functionName}" exists in several accounts/regions: add account= and region=`, { choices: result.choices });
  if (result.kind === "not-found") throw new NotFoundError(`no function named "${functionName}" has been collected`, { elsewhere: result.elsewhere });
  return Response.json(result.view, { headers: API_HEADERS });
});
