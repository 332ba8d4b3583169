import { authorize } from "@/app/_server/api-auth";
import { costSettingsTagKeyErrors, toCostSettingsApiError, type StoredCostSettings } from "@/app/_server/cost-deps";
import { getDeps } from "@/app/_server/deps";
import { API_HEADERS, BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError, handleApi, parseJsonBody } from "@/app/_server/http-errors";
import { parseCostSettings } from "@/lib/domain/cost/cost-settings";

export const dynamic = "force-dynamic";

/** The largest settings body accepted: 200 budgets and 50 pools fit in a fraction of it. */
const MAX_SETTINGS_BODY_BYTES = 64 * 1024;

/** The settings as the API answers them, with their version as the ETag (`"3"`). */
function settingsResponse(stored: StoredCostSettings): Response {
  return Response.json(stored, { headers: { ...API_HEADERS, ETag: `"${stored.version}"` } });
}

/** Reads the JSON body, refusing more than MAX_SETTINGS_BODY_BYTES (declared or actual). */
async function readSettingsBody(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_SETTINGS_BODY_BYTES) throw new PayloadTooLargeError(`the body is ${declared} bytes; at most ${MAX_SETTINGS_BODY_BYTES} are accepted`);
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_SETTINGS_BODY_BYTES) throw new PayloadTooLargeError(`the body is over ${MAX_SETTINGS_BODY_BYTES} bytes`);
  return parseJsonBody(text);
}

/** `If-Match: "3"` (or W/"3") → 3; absent → undefined (last save wins); anything else is a 400. */
function expectedVersionOf(request: Request): number | undefined {
  const header = request.headers.get("if-match");
  if (header === null || header.trim() === "*") return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(header);
  if (!match) throw new BadRequestError(`If-Match: must be the ETag of GET /api/v1/costs/settings, e.g. "3", got ${header.slice(0, 40)}`);
  return Number(match[1]);
}

/**
 * GET /api/v1/costs/settings (`costs:read`): `{ settings, version, updatedBy, updatedAtMs }` —
 * the shared-cost pools, budgets and free-tier switch, or the defaults at version 0 when none
 * were saved; the ETag is the version.
 */
export const GET = handleApi(async (request) => {
  await authorize(request, "costs:read");
  const stored = await getDeps().costSettings.getStored().catch((e: unknown) => {
    throw toCostSettingsApiError(e);
  });
  return settingsResponse(stored);
});

/**
 * PUT /api/v1/costs/settings (`costs:write`): replaces the settings with the JSON body (a
 * CostSettings document: `{ pools, budgets, applyFreeTier }`, at most 64 KB). Invalid settings
 * are a 400 with every field at fault (`errors: [{ path, message }]`) and nothing is stored;
 * budgets and pools must name configured allocation tag keys. `If-Match: "<version>"` makes
 * the save conditional (409 when someone saved in between). 200 with what was stored.
 */
export const PUT = handleApi(async (request) => {
  const principal = await authorize(request, "costs:write");
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") throw new UnsupportedMediaTypeError(`Content-Type must be application/json, got "${type || "none"}"`);
  const expectedVersion = expectedVersionOf(request);
  const parsed = parseCostSettings(await readSettingsBody(request));
  const deps = getDeps();
  const errors = parsed.kind === "invalid" ? parsed.errors : costSettingsTagKeyErrors(parsed.settings, deps.config.COST_ALLOCATION_TAG_KEYS);
  if (parsed.kind === "invalid" || errors.length > 0) {
    const first = errors[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
    throw new BadRequestError(first ? `${first.path}: ${first.message}${more}` : "the cost settings are invalid", { errors });
  }
  const stored = await deps.costSettings.putStored(parsed.settings, { updatedBy: principal.subject, atMs: Date.now() }, expectedVersion).catch((e: unknown) => {
    throw toCostSettingsApiError(e);
  });
  return settingsResponse(stored);
});
