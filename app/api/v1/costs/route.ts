import { authorize } from "@/app/_server/api-auth";
import { costViewDeps } from "@/app/_server/cost-deps";
import { getDeps } from "@/app/_server/deps";
import { API_HEADERS, BadRequestError, NoDataError, handleApi } from "@/app/_server/http-errors";
import { AccountIdSchema } from "@/lib/domain/shared/ids";
import { parseCostParams } from "@/lib/queries/cost-params";
import { getCostView } from "@/lib/queries/cost-view";

export const dynamic = "force-dynamic";

const PARAMS = ["groupBy", "range", "from", "to", "bucket"] as const;

/**
 * GET /api/v1/costs?groupBy=tag:team|service&range=14d|from=YYYY-MM-DD&to=YYYY-MM-DD[&bucket=][&account=]
 * (`costs:read`: finance and admin): the window's bill allocated by the grouping — buckets
 * adding up to the bill to the micro-dollar, unallocated and idle, anomalies, month-end
 * forecast, model-vs-Cost-Explorer reconciliation, unit costs, budgets, and with `bucket` its
 * drill-down (lib/queries/cost-view.ts). Money is integer µUSD (`…MicroUsd`). Invalid parameters
 * are a 400 naming the field; no cost data yet is a 422.
 */
export const GET = handleApi(async (request) => {
  await authorize(request, "costs:read");
  const url = new URL(request.url);
  const deps = getDeps();
  const nowMs = Date.now();
  const raw: Record<string, string | undefined> = {};
  for (const name of PARAMS) raw[name] = url.searchParams.get(name) ?? undefined;
  const parsed = parseCostParams(raw, nowMs, deps.config.COST_ALLOCATION_TAG_KEYS);
  if (!parsed.ok) throw new BadRequestError(parsed.error.startsWith(parsed.field) ? parsed.error : `${parsed.field}: ${parsed.error}`, { errors: [{ path: parsed.field, message: parsed.error }] });
  const accountText = url.searchParams.get("account");
  let accountId: string | null = null;
  if (accountText !== null && accountText !== "") {
    const account = AccountIdSchema.safeParse(accountText);
    if (!account.success) throw new BadRequestError(`account: must be a 12-digit AWS account id, got "${accountText.slice(0, 40)}"`);
    accountId = account.data;
  }
  const result = await getCostView(costViewDeps(deps), { ...parsed.value, accountId }, nowMs);
  if (result.kind === "no-data") throw new NoDataError(result.message);
  return Response.json({ ...result.view, range: parsed.value.range }, { headers: API_HEADERS });
});
