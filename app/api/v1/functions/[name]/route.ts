import { authorize } from "@/app/_server/api-auth";
import { getDeps } from "@/app/_server/deps";
import { parseFunctionDetailParams } from "@/app/_server/function-detail-params";
import { searchParamsToRecord } from "@/app/_server/search-params";
import { AmbiguousError, API_HEADERS, BadRequestError, NotFoundError, handleApi } from "@/app/_server/http-errors";
import { getFunctionDetailView } from "@/lib/queries/function-detail-view";

export const dynamic = "force-dynamic";

function scopeWords(accountId: string | null, regionId: string | null): string {
  const parts = [accountId ? `account ${accountId}` : null, regionId ? `region ${regionId}` : null].filter((p) => p !== null);
  return parts.length > 0 ? ` in ${parts.join(", ")}` : "";
}

/** A percent-encoded path segment, decoded; a malformed encoding is a bad request, not a 500. */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadRequestError("name: is not a valid percent-encoded path segment");
  }
}

/**
 * GET /api/v1/functions/<name>?account=<12 digits>&region=<code>&range=24h (or from=…&to=…):
 * the same function detail as the page. Needs `fleet:read`. 404 (`not-found`, with the
 * scopes where the name does exist, if any) for an unknown function; 409 (`ambiguous`, with
 * the choices) when the name exists in several accounts/regions and none was given.
 */
export const GET = handleApi(async (request) => {
  await authorize(request, "fleet:read");
  const nowMs = Date.now();
  const url = new URL(request.url);
  // handleApi passes only the request, so the name is read from the path (percent-encoded there).
  const params = parseFunctionDetailParams(decodePathSegment(url.pathname.split("/").at(-1) ?? ""), searchParamsToRecord(url.searchParams), nowMs);
  if (!params.ok) throw new BadRequestError(params.error);
  const { range, accountId, regionId } = params.value;
  const result = await getFunctionDetailView(getDeps(), { name: params.value.name, accountId, regionId, window: range.window, nowMs });
  if (result.kind === "not-found") {
    throw new NotFoundError(`no function named "${result.functionName}"${scopeWords(result.accountId, result.regionId)} has been collected`, {
      elsewhere: result.elsewhere,
    });
  }
  if (result.kind === "ambiguous") {
    throw new AmbiguousError(`"${result.functionName}" exists in ${result.choices.length} accounts/regions; add account= and region=`, {
      choices: result.choices,
    });
  }
  return Response.json(
    {
      window: { from: new Date(range.window.fromMs).toISOString(), to: new Date(range.window.toMs).toISOString(), range: range.label },
      function: result.view,
    },
    { headers: API_HEADERS },
  );
});
