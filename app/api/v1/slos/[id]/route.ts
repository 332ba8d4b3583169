import { authorize } from "@/app/_server/api-auth";
import { getDeps } from "@/app/_server/deps";
import { API_HEADERS, BadRequestError, NotFoundError, UnsupportedMediaTypeError, handleApi } from "@/app/_server/http-errors";
import { searchParamsToRecord } from "@/app/_server/search-params";
import { fieldErrors, readJsonBody, toSloApiError } from "@/app/_server/slo-api";
import { parseSloDetailParams } from "@/app/_server/slo-detail-params";
import { SloIdSchema } from "@/lib/domain/slo/slo-definition";
import { getSloDetailView } from "@/lib/queries/slos-view";
import { parseSloSpec } from "@/lib/use-cases/manage-slos";

export const dynamic = "force-dynamic";

/** The SLO id from the path; a malformed one is a 400 naming the rule. */
function sloIdOf(request: Request): string {
  const raw = new URL(request.url).pathname.split("/").at(-1) ?? "";
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw new BadRequestError("id: is not a valid percent-encoded path segment");
  }
  const parsed = SloIdSchema.safeParse(decoded);
  if (!parsed.success) throw new BadRequestError(`id: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data;
}

/**
 * GET /api/v1/slos/<id>?range=24h (`fleet:read`): the SLO, its latest evaluation, budget
 * burn-down, hourly SLI, alert episodes and what contributed over the range (default 24 h).
 */
export const GET = handleApi(async (request) => {
  await authorize(request, "fleet:read");
  const id = sloIdOf(request);
  const params = parseSloDetailParams(searchParamsToRecord(new URL(request.url).searchParams), Date.now());
  if (!params.ok) throw new BadRequestError(params.error);
  const view = await getSloDetailView(getDeps(), { id, contributorsWindow: params.value.range.window });
  if (view === null) throw new NotFoundError(`no SLO with id "${id}"`);
  return Response.json(view, { headers: API_HEADERS });
});

/**
 * PUT /api/v1/slos/<id> (`slos:write`): replaces the SLO. The body is the SLO (its `id` must
 * match the path) plus `version`, the version it was read at: 409 when someone saved since.
 */
export const PUT = handleApi(async (request) => {
  const principal = await authorize(request, "slos:write");
  const id = sloIdOf(request);
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") throw new UnsupportedMediaTypeError(`Content-Type must be application/json, got "${type.slice(0, 80) || "none"}"`);
  const body = await readJsonBody(request);
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw new BadRequestError("body: must be a JSON object");
  const { version, ...rest } = body as Record<string, unknown>;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) throw new BadRequestError("version: must be the version the SLO was read at (a whole number ≥ 1)");
  // Only an absent id defaults to the path's: `"id": null` (or any other wrong value) is the body's error to report.
  const parsed = parseSloSpec(Object.hasOwn(rest, "id") ? rest : { ...rest, id });
  if (!parsed.ok) throw fieldErrors(parsed.errors);
  if (parsed.spec.id !== id) throw new BadRequestError(`id: the body's id "${parsed.spec.id}" differs from the path's "${id}"; ids cannot be renamed`);
  const updated = await getDeps()
    .slos.update(parsed.spec, version, principal.subject, Date.now())
    .catch((e: unknown) => {
      throw toSloApiError(e);
    });
  return Response.json({ slo: updated }, { headers: API_HEADERS });
});

/** DELETE /api/v1/slos/<id> (`slos:write`): the SLO with its status, SLI ledger and alert history. */
export const DELETE = handleApi(async (request) => {
  await authorize(request, "slos:write");
  const id = sloIdOf(request);
  if (!(await getDeps().slos.delete(id))) throw new NotFoundError(`no SLO with id "${id}"`);
  return new Response(null, { status: 204, headers: API_HEADERS });
});
