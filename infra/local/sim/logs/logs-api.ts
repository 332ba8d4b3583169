import { createHash } from "node:crypto";
import { z } from "zod";
import { MS_PER_MINUTE } from "../model/time";
import { awsJsonResponse, type SimContext, type SimRequest, type SimResponse, type SimService } from "../wire";
import { compileQuery, type CompiledQuery } from "./insights/compile-query";
import { MalformedQueryError } from "./insights/malformed-query-error";
import { MAX_QUERY_LIMIT } from "./insights/parser";
import { DEFAULT_QUERY_LIMIT } from "./insights/run-insights-query";
import { estimatedStoredBytes, logGroupsIn, resolveLogGroup, type LogGroup } from "./log-groups";
import { constraintViolation, invalidParameter, LogsError } from "./logs-errors";
import { QueryExecution } from "./query-execution";
import { MAX_RUNNING_QUERIES, QueryStore } from "./query-store";
import { SeriesChunks } from "./series-chunks";

/**
 * CloudWatch Logs on the wire (awsJson1_1, `x-amz-target: Logs_20140328.<Operation>`):
 * DescribeLogGroups, and Logs Insights' StartQuery / GetQueryResults / StopQuery over log
 * lines generated from the model (see query-execution). Limits and errors follow the real
 * service; every request body is zod-parsed and every LogsError is shaped once, here.
 */

export const LOGS_TARGET_PREFIX = "Logs_20140328.";
const CONTENT_TYPE = "application/x-amz-json-1.1";

/** DescribeLogGroups' page size bounds. */
const MAX_GROUPS_PAGE = 50;
/** StartQuery's bound on log groups per query (FACTS §6). */
const MAX_QUERY_GROUPS = 50;

const DescribeLogGroupsSchema = z.object({
  logGroupNamePrefix: z.string().optional(),
  logGroupNamePattern: z.string().optional(),
  nextToken: z.string().optional(),
  limit: z.number().optional(),
  includeLinkedAccounts: z.boolean().optional(),
  logGroupClass: z.string().optional(),
  accountIdentifiers: z.array(z.string()).optional(),
  logGroupIdentifiers: z.array(z.string()).optional(),
});

const StartQuerySchema = z.object({
  queryLanguage: z.string().optional(),
  logGroupName: z.string().optional(),
  logGroupNames: z.array(z.string()).optional(),
  logGroupIdentifiers: z.array(z.string()).optional(),
  startTime: z.number(),
  endTime: z.number(),
  queryString: z.string(),
  limit: z.number().optional(),
});

const QueryIdSchema = z.object({ queryId: z.string() });

/** CloudWatch Logs as one service of the simulator. */
export function createLogsApi(ctx: SimContext): SimService {
  const store = new QueryStore(ctx.now);
  const chunks = new SeriesChunks(ctx.model);
  let queriesStarted = 0;

  const operations: Readonly<Record<string, (body: unknown, request: SimRequest) => unknown>> = {
    DescribeLogGroups: (body, request) => describeLogGroups(ctx, request.region, parse(DescribeLogGroupsSchema, body)),
    StartQuery: (body, request) => {
      const input = parse(StartQuerySchema, body);
      queriesStarted++;
      const queryId = queryIdFor(queriesStarted, request.body);
      startQuery(ctx, store, chunks, request.region, input, queryId);
      return { queryId };
    },
    GetQueryResults: (body) => {
      const { queryId } = parse(QueryIdSchema, body);
      const view = store.view(queryId);
      if (view === undefined) throw new LogsError("ResourceNotFoundException", "Query does not exist");
      return { queryLanguage: "CWLI", results: view.rows, statistics: view.statistics, status: view.status };
    },
    StopQuery: (body) => {
      const { queryId } = parse(QueryIdSchema, body);
      const success = store.stop(queryId);
      if (success === undefined) throw new LogsError("ResourceNotFoundException", "Query does not exist");
      return { success };
    },
  };

  return {
    handle(request) {
      const target = request.headers["x-amz-target"] ?? "";
      const operation = target.startsWith(LOGS_TARGET_PREFIX) ? target.slice(LOGS_TARGET_PREFIX.length) : target;
      try {
        const handler = operations[operation];
        if (handler === undefined) {
          throw new LogsError("UnknownOperationException", `The operation ${operation || "(none)"} is not supported by the Sightline simulator.`);
        }
        let body: unknown;
        try {
          body = request.body === "" ? {} : JSON.parse(request.body);
        } catch {
          throw new LogsError("SerializationException", "The request body is not valid JSON.");
        }
        return awsJsonResponse(CONTENT_TYPE, handler(body, request));
      } catch (error) {
        if (error instanceof LogsError) return logsErrorResponse(error);
        throw error;
      }
    },
    close: () => store.close(),
  };
}

/** The one place a LogsError becomes AWS's awsJson1_1 error body. */
function logsErrorResponse(error: LogsError): SimResponse {
  return {
    status: 400,
    headers: { "content-type": CONTENT_TYPE },
    body: JSON.stringify({ __type: error.type, message: error.message, ...error.details }),
  };
}

/** Parses a request body; a missing required member is AWS's validation error, a wrong type a serialization error. */
function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const member = issue?.path.join(".") || "(body)";
  if (issue?.code === "invalid_type" && issue.message.endsWith("received undefined")) {
    throw constraintViolation(member, "null", "Member must not be null");
  }
  throw new LogsError("SerializationException", `The member ${member} has the wrong type: ${issue?.message ?? "invalid"}.`);
}

/** A UUID that depends only on the request and how many queries came before it in this simulator. */
function queryIdFor(sequence: number, body: string): string {
  const h = createHash("sha256").update(`${sequence}\n${body}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${"89ab"[Number.parseInt(h[16]!, 16) & 3]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

// ── DescribeLogGroups ───────────────────────────────────────────────────────────────────

function describeLogGroups(ctx: SimContext, region: string, input: z.infer<typeof DescribeLogGroupsSchema>) {
  const limit = input.limit ?? MAX_GROUPS_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_GROUPS_PAGE) {
    throw constraintViolation("limit", limit, `Member must have value ${limit < 1 ? "greater than or equal to 1" : `less than or equal to ${MAX_GROUPS_PAGE}`}`);
  }
  if (input.logGroupNamePrefix !== undefined && input.logGroupNamePattern !== undefined) {
    throw invalidParameter("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
  }
  const pattern = input.logGroupNamePattern?.toLowerCase();
  const identifiers = input.logGroupIdentifiers === undefined ? undefined : new Set(input.logGroupIdentifiers);
  let groups = logGroupsIn(ctx.model, region).filter((group) =>
    (input.logGroupNamePrefix === undefined || group.name.startsWith(input.logGroupNamePrefix)) &&
    (pattern === undefined || group.name.toLowerCase().includes(pattern)) &&
    (input.logGroupClass === undefined || input.logGroupClass === "STANDARD") &&
    (identifiers === undefined || identifiers.has(group.name) || identifiers.has(group.arn)));

  // The token names the last group returned, so pages stay right even if a page size changes.
  if (input.nextToken !== undefined) {
    const after = decodeGroupsToken(input.nextToken);
    groups = groups.filter((group) => group.name > after);
  }
  const pageSize = Math.min(limit, ctx.faults.pageLimit("logs") ?? Infinity);
  const page = groups.slice(0, pageSize);
  const nowMs = ctx.now();
  const creationTime = ctx.model.fleet.historyStartMinute * MS_PER_MINUTE;
  return {
    logGroups: page.map((group) => ({
      logGroupName: group.name,
      creationTime,
      metricFilterCount: 0,
      arn: `${group.arn}:*`,
      storedBytes: estimatedStoredBytes(ctx.model, group, nowMs),
      logGroupClass: "STANDARD",
      logGroupArn: group.arn,
    })),
    ...(groups.length > page.length ? { nextToken: encodeGroupsToken(page[page.length - 1]!.name) } : {}),
  };
}

function encodeGroupsToken(lastName: string): string {
  return Buffer.from(JSON.stringify([1, lastName])).toString("base64url");
}

function decodeGroupsToken(token: string): string {
  try {
    const parsed = z.tuple([z.literal(1), z.string()]).safeParse(JSON.parse(Buffer.from(token, "base64url").toString("utf8")));
    if (parsed.success) return parsed.data[1];
  } catch {
    // fall through: not a token of ours
  }
  throw invalidParameter("The specified nextToken is invalid.");
}

// ── StartQuery ──────────────────────────────────────────────────────────────────────────

function startQuery(
  ctx: SimContext,
  store: QueryStore,
  chunks: SeriesChunks,
  region: string,
  input: z.infer<typeof StartQuerySchema>,
  queryId: string,
): void {
  if (input.queryLanguage !== undefined && input.queryLanguage !== "CWLI") {
    throw invalidParameter(`The query language ${input.queryLanguage} is not supported by the Sightline simulator; use CWLI.`);
  }
  const identifiers = groupIdentifiers(input);
  const limit = input.limit ?? DEFAULT_QUERY_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_QUERY_LIMIT) {
    throw constraintViolation("limit", limit, `Member must have value ${limit < 1 ? "greater than or equal to 1" : `less than or equal to ${MAX_QUERY_LIMIT}`}`);
  }
  if (input.startTime < 0 || input.endTime < 0) throw invalidParameter("startTime and endTime must be non-negative epoch seconds.");
  if (input.endTime < input.startTime) throw invalidParameter("endTime must be greater than or equal to startTime.");

  const groups: LogGroup[] = [];
  for (const identifier of identifiers) {
    const group = resolveLogGroup(ctx.model, region, identifier);
    if (group === undefined) {
      throw new LogsError("ResourceNotFoundException", `Log group '${identifier}' does not exist for account ID '${ctx.model.fleet.accountId}'.`);
    }
    if (!groups.some((known) => known.name === group.name)) groups.push(group);
  }

  let query: CompiledQuery;
  try {
    query = compileQuery(input.queryString);
  } catch (error) {
    if (!(error instanceof MalformedQueryError)) throw error;
    throw new LogsError("MalformedQueryException", error.message, {
      // The SDK's QueryCompileErrorLocation members are startCharOffset / endCharOffset.
      queryCompileError: { location: { startCharOffset: error.span.start, endCharOffset: error.span.end }, message: error.problem },
    });
  }

  if (store.runningCount() >= MAX_RUNNING_QUERIES) {
    throw new LogsError("LimitExceededException", `Account maximum query concurrency limit of [${MAX_RUNNING_QUERIES}] reached.`);
  }
  const timeoutSeconds = ctx.faults.logsQueryTimeoutSeconds();
  if (timeoutSeconds !== undefined) {
    store.startTimingOut(queryId, timeoutSeconds);
    return;
  }
  const nowMs = ctx.now();
  // The query's limit command decides when present; StartQuery's limit still caps the rows.
  const outputLimit = query.hasLimit && input.limit === undefined ? MAX_QUERY_LIMIT : limit;
  store.start(queryId, new QueryExecution(query, {
    model: ctx.model,
    chunks,
    groups,
    startMs: input.startTime * 1000,
    endMs: input.endTime * 1000,
    nowMs,
    malformedRatio: ctx.faults.malformedLogLineRatio(),
    outputLimit,
  }));
}

/** Exactly one of logGroupName, logGroupNames, logGroupIdentifiers, with 1–50 entries. */
function groupIdentifiers(input: z.infer<typeof StartQuerySchema>): string[] {
  const given = [input.logGroupName, input.logGroupNames, input.logGroupIdentifiers].filter((value) => value !== undefined);
  if (given.length !== 1) {
    throw invalidParameter("Exactly one of logGroupName, logGroupNames or logGroupIdentifiers must be specified.");
  }
  if (input.logGroupName !== undefined) return [input.logGroupName];
  const member = input.logGroupNames !== undefined ? "logGroupNames" : "logGroupIdentifiers";
  const list = input.logGroupNames ?? input.logGroupIdentifiers ?? [];
  if (list.length < 1) throw constraintViolation(member, "[]", "Member must have length greater than or equal to 1");
  if (list.length > MAX_QUERY_GROUPS) {
    throw constraintViolation(member, `[${list.length} items]`, `Member must have length less than or equal to ${MAX_QUERY_GROUPS}`);
  }
  return list;
}
