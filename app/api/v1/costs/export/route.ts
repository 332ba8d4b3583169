import { authorize } from "@/app/_server/api-auth";
import { costViewDeps } from "@/app/_server/cost-deps";
import { getDeps } from "@/app/_server/deps";
import { API_HEADERS, BadRequestError, handleApi } from "@/app/_server/http-errors";
import { COST_EXPORT_FORMATS, costExportFilename, toCostExport, type CostExportFormat } from "@/lib/domain/cost/cost-export";
import { bucketId, formatGroupBy } from "@/lib/domain/cost/cost-types";
import { parseCostParams } from "@/lib/queries/cost-params";
import { getCostExportRows } from "@/lib/queries/cost-view";

export const dynamic = "force-dynamic";

const PARAMS = ["groupBy", "range", "from", "to", "bucket"] as const;

/**
 * GET /api/v1/costs/export?format=csv|focus&groupBy=&range=|from=&to=[&bucket=] (`costs:read`):
 * every allocated row of the window as a CSV download (lib/domain/cost/cost-export.ts: plain
 * showback columns, or FOCUS 1.0-style). `format` defaults to csv; `bucket` narrows the file to
 * one bucket. Σ cost of the file is the window's bill to the micro-dollar; a window without
 * cost lines is a file with the header only. Invalid parameters are a 400 naming the field.
 */
export const GET = handleApi(async (request) => {
  await authorize(request, "costs:read");
  const url = new URL(request.url);
  const formatText = url.searchParams.get("format") ?? "csv";
  if (!(COST_EXPORT_FORMATS as readonly string[]).includes(formatText)) {
    throw new BadRequestError(`format: must be csv or focus, got "${formatText.slice(0, 40)}"`, { errors: [{ path: "format", message: "must be csv or focus" }] });
  }
  const format = formatText as CostExportFormat;
  const deps = getDeps();
  const nowMs = Date.now();
  const raw: Record<string, string | undefined> = {};
  for (const name of PARAMS) raw[name] = url.searchParams.get(name) ?? undefined;
  const parsed = parseCostParams(raw, nowMs, deps.config.COST_ALLOCATION_TAG_KEYS);
  if (!parsed.ok) {
    // parseCostParams's messages mostly start with the parameter ("range must be one of …"); the others get it in front.
    const message = parsed.error.startsWith(`${parsed.field} `) ? parsed.error : `${parsed.field}: ${parsed.error}`;
    throw new BadRequestError(message, { errors: [{ path: parsed.field, message: parsed.error }] });
  }
  const { groupBy, window, bucket } = parsed.value;
  const rows = await getCostExportRows(costViewDeps(deps), { groupBy, window }, nowMs);
  const selected = bucket === null ? rows : rows.filter((row) => bucketId(row.bucket) === bucket);
  return new Response(toCostExport(format, selected), {
    headers: {
      ...API_HEADERS,
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${costExportFilename(format, formatGroupBy(groupBy), window)}"`,
    },
  });
});
