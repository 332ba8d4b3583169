import { authorize } from "@/app/_server/api-auth";
import { getDeps } from "@/app/_server/deps";
import { AmbiguousError, API_HEADERS, BadRequestError, NoDataError, NotFoundError, UnsupportedMediaTypeError, handleApi } from "@/app/_server/http-errors";
import { readJsonBody } from "@/app/_server/slo-api";
import { parseWhatIfRequest, runWhatIf } from "@/lib/queries/what-if";

export const dynamic = "force-dynamic";

/**
 * POST /api/v1/whatif (`fleet:read`: it changes nothing): replays a function's recorded
 * traffic over the last `hours` against a candidate configuration and returns actual vs
 * projected cost, cold starts, p50/p99, throttles, spillover and SLO burn.
 * Body: `{ functionName, accountId?, region?, hours?, memoryMb?, architecture?, pc?, reservedConcurrency? }`
 * where pc is "none", "20", "09:00-18:00=20,base=2" or "target=0.7,min=2,max=40".
 * 400 names the field at fault; 404 unknown function; 409 ambiguous name; 422 no data to replay.
 */
export const POST = handleApi(async (request) => {
  await authorize(request, "fleet:read");
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") throw new UnsupportedMediaTypeError(`Content-Type must be application/json, got "${type || "none"}"`);
  const parsed = parseWhatIfRequest(await readJsonBody(request));
  if (!parsed.ok) {
    const [first] = parsed.errors;
    throw new BadRequestError(`${first!.path}: ${first!.message}${parsed.errors.length > 1 ? ` (and ${parsed.errors.length - 1} more)` : ""}`, { errors: parsed.errors });
  }
  const outcome = await runWhatIf(getDeps(), parsed, Date.now());
  if (outcome.kind === "ambiguous") throw new AmbiguousError(`"${outcome.functionName}" exists in several accounts/regions: add accountId and region`, { choices: outcome.choices });
  if (outcome.kind === "not-found") throw new NotFoundError(`no function named "${outcome.functionName}" has been collected`, { elsewhere: outcome.elsewhere });
  if (outcome.kind === "no-data") throw new NoDataError(outcome.reason);
  return Response.json(outcome.result, { headers: API_HEADERS });
});
