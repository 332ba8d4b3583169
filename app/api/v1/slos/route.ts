import { authorize } from "@/app/_server/api-auth";
import { getDeps } from "@/app/_server/deps";
import { API_HEADERS, BadRequestError, UnsupportedMediaTypeError, handleApi } from "@/app/_server/http-errors";
import { fieldErrors, readBodyText, readJsonBody, sloImportDefaults, toSloApiError } from "@/app/_server/slo-api";
import { getSlosView } from "@/lib/queries/slos-view";
import { exportSlos, importSlos, parseSloSpec } from "@/lib/use-cases/manage-slos";

export const dynamic = "force-dynamic";

const YAML_TYPES = ["application/yaml", "application/x-yaml", "text/yaml", "application/openslo+yaml"];

/**
 * GET /api/v1/slos: every SLO with its latest evaluation, most at risk first (`fleet:read`).
 * GET /api/v1/slos?format=openslo: all SLOs as OpenSLO v1 YAML.
 */
export const GET = handleApi(async (request) => {
  await authorize(request, "fleet:read");
  const format = new URL(request.url).searchParams.get("format");
  if (format !== null && format !== "json" && format !== "openslo") throw new BadRequestError(`format: must be json or openslo, got "${format}"`);
  const deps = getDeps();
  if (format === "openslo") {
    return new Response(await exportSlos(deps.slos), {
      headers: { ...API_HEADERS, "Content-Type": "application/yaml; charset=utf-8", "Content-Disposition": 'attachment; filename="slos.openslo.yaml"' },
    });
  }
  return Response.json(await getSlosView(deps), { headers: API_HEADERS });
});

/**
 * POST /api/v1/slos (`slos:write`): a JSON body creates one SLO (201; 409 when the id is
 * taken); a YAML body (Content-Type application/yaml) imports OpenSLO v1 documents — all or
 * nothing — creating new SLOs and replacing changed ones. Invalid input is a 400 listing every
 * field path at fault; nothing is written.
 */
export const POST = handleApi(async (request) => {
  const principal = await authorize(request, "slos:write");
  const deps = getDeps();
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (YAML_TYPES.includes(type)) {
    const yaml = await readBodyText(request);
    const defaults = await sloImportDefaults();
    const result = await importSlos(deps.slos, { yaml, defaults, by: principal.subject, nowMs: Date.now() }).catch((e: unknown) => {
      throw toSloApiError(e);
    });
    if (!result.ok) throw fieldErrors(result.errors);
    return Response.json(result.outcome, { status: 200, headers: API_HEADERS });
  }
  if (type !== "application/json") throw new UnsupportedMediaTypeError(`Content-Type must be application/json (one SLO) or application/yaml (OpenSLO import), got "${type || "none"}"`);
  const body = await readJsonBody(request);
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw new BadRequestError("body: must be a JSON object (one SLO)");
  const parsed = parseSloSpec(body);
  if (!parsed.ok) throw fieldErrors(parsed.errors);
  const created = await deps.slos.create(parsed.spec, principal.subject, Date.now()).catch((e: unknown) => {
    throw toSloApiError(e);
  });
  return Response.json({ slo: created }, { status: 201, headers: API_HEADERS });
});
