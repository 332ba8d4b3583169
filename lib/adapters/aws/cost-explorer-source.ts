import {
  GetCostAndUsageCommand,
  GetCostAndUsageWithResourcesCommand,
  type CostExplorerClient,
  type Dimension,
  type Expression,
  type GetCostAndUsageCommandInput,
} from "@aws-sdk/client-cost-explorer";
import { z } from "zod";
import { toCostLine, type CostGroupInput, type CostLine } from "@/lib/domain/cost/cost-line";
import type { AnsweredPeriod } from "@/lib/domain/cost/cost-finality";
import type { CostQuery } from "@/lib/domain/cost/cost-read-plan";
import { CostDataUnavailableError, type CostAnswer, type CostSource } from "@/lib/ports/cost-source";
import { reachingAws } from "@/lib/adapters/aws/unreachable";

/** A safety stop: an answer that keeps paging beyond this is a loop, not data. */
const MAX_PAGES = 1000;

/** Cost Explorer kept returning pages (or the same token) beyond any plausible answer. */
export class CostExplorerPagingError extends Error {
  override readonly name = "CostExplorerPagingError";
}

const PageSchema = z.object({
  ResultsByTime: z.array(z.unknown()).optional(),
  NextPageToken: z.string().optional(),
});

const ResultByTimeSchema = z.object({
  TimePeriod: z.object({ Start: z.string() }),
  /** Absent is read as an estimate: re-reading costs a request, trusting a guess loses data. */
  Estimated: z.boolean().optional(),
  Groups: z.array(z.unknown()).optional(),
});

const GroupSchema = z.object({
  Keys: z.array(z.string()),
  Metrics: z.record(z.string(), z.object({ Amount: z.string(), Unit: z.string() })),
});

/** `YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ssZ` (HOURLY), UTC. */
const PERIOD_START = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})Z)?$/;

function parsePeriodStart(text: string): number | null {
  const match = PERIOD_START.exec(text);
  if (match === null) return null;
  const [, y, mo, d, h = "0", mi = "0", s = "0"] = match;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  return new Date(ms).getUTCDate() === Number(d) ? ms : null;
}

/** The domain's request as SDK input (the shapes are the wire's; only the enum types differ). */
function toSdkInput(query: CostQuery, token: string | undefined): GetCostAndUsageCommandInput & { Filter?: Expression } {
  const { request } = query;
  return {
    TimePeriod: { Start: request.TimePeriod.Start, End: request.TimePeriod.End },
    Granularity: request.Granularity,
    Metrics: [...request.Metrics],
    GroupBy: request.GroupBy.map((g) => ({ Type: g.Type, Key: g.Key })),
    ...(request.Filter === undefined
      ? {}
      : { Filter: { Dimensions: { Key: request.Filter.Dimensions.Key as Dimension, Values: [...request.Filter.Dimensions.Values] } } }),
    ...(token === undefined ? {} : { NextPageToken: token }),
  };
}

function toGroupInput(group: z.infer<typeof GroupSchema>): CostGroupInput {
  const metrics: Record<string, { amount: string; unit: string }> = {};
  for (const [name, value] of Object.entries(group.Metrics)) metrics[name] = { amount: value.Amount, unit: value.Unit };
  return { keys: group.Keys, metrics };
}

/**
 * Runs the domain's Cost Explorer queries (the only importer of the Cost Explorer SDK):
 * follows NextPageToken to the last page, zod-parses what it depends on, merges periods that
 * span pages, and turns groups into lines. Malformed periods and groups are reported through
 * `warn` and left out — a period left out stays open, so the next run asks for it again.
 */
export class CostExplorerSource implements CostSource {
  constructor(
    private readonly client: CostExplorerClient,
    private readonly warn: (message: string) => void,
  ) {}

  private send(query: CostQuery, token: string | undefined): Promise<unknown> {
    const input = toSdkInput(query, token);
    if (query.operation === "GetCostAndUsage") return this.client.send(new GetCostAndUsageCommand(input));
    // Resource-level data always needs a filter (the domain's Lambda grouping has one).
    if (input.Filter === undefined) throw new TypeError(`${query.grouping.id}: GetCostAndUsageWithResources needs a Filter`);
    return this.client.send(new GetCostAndUsageWithResourcesCommand({ ...input, Filter: input.Filter }));
  }

  async getCostAndUsage(query: CostQuery): Promise<CostAnswer> {
    const periods = new Map<number, AnsweredPeriod>();
    const lines: CostLine[] = [];
    let pagesRequested = 0;
    let token: string | undefined;
    let missingEstimated = 0;
    const seenTokens = new Set<string>();
    do {
      const output = await reachingAws("Cost Explorer", () => this.send(query, token)).catch((error: unknown) => {
        if ((error as { name?: unknown }).name !== "DataUnavailableException") throw error;
        throw new CostDataUnavailableError(`Cost Explorer has no ${query.operation} data: ${(error as Error).message}`, { cause: error });
      });
      pagesRequested++;
      const page = PageSchema.parse(output);
      for (const [index, raw] of (page.ResultsByTime ?? []).entries()) {
        const result = ResultByTimeSchema.safeParse(raw);
        const startMs = result.success ? parsePeriodStart(result.data.TimePeriod.Start) : null;
        if (!result.success || startMs === null) {
          this.warn(`${query.grouping.id}: skipped malformed result period ${index + 1} of page ${pagesRequested}`);
          continue;
        }
        if (result.data.Estimated === undefined) missingEstimated++;
        const estimated = result.data.Estimated ?? true;
        const known = periods.get(startMs);
        periods.set(startMs, { startMs, estimated: (known?.estimated ?? false) || estimated });
        for (const rawGroup of result.data.Groups ?? []) {
          const group = GroupSchema.safeParse(rawGroup);
          const parsed = group.success
            ? toCostLine(query.grouping, { startMs, estimated }, toGroupInput(group.data))
            : { kind: "invalid" as const, reason: group.error.issues.map((i) => `${i.path.join(".") || "(group)"}: ${i.message}`).join("; ") };
          if (parsed.kind === "ok") lines.push(parsed.line);
          else this.warn(`${query.grouping.id} ${result.data.TimePeriod.Start}: skipped malformed group (${parsed.reason})`);
        }
      }
      token = page.NextPageToken || undefined;
      if (token !== undefined && (seenTokens.has(token) || pagesRequested >= MAX_PAGES)) {
        throw new CostExplorerPagingError(`Cost Explorer ${query.operation} (${query.grouping.id}) kept paging after ${pagesRequested} pages`);
      }
      if (token !== undefined) seenTokens.add(token);
    } while (token !== undefined);
    if (missingEstimated > 0) this.warn(`${query.grouping.id}: ${missingEstimated} result periods had no Estimated flag; read as estimated`);
    // A period split across pages is estimated if any of its parts said so; its lines agree.
    for (const line of lines) line.estimated = periods.get(line.periodStartMs)?.estimated ?? line.estimated;
    return { periods: [...periods.values()].sort((a, b) => a.startMs - b.startMs), lines, pagesRequested };
  }
}
