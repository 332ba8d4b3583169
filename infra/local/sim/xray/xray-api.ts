import type { z } from "zod";
import { restJsonError, restJsonResponse, type SimContext, type SimRequest, type SimResponse, type SimService } from "../wire";
import { BatchGetTracesInputSchema, batchGetTraces } from "./batch-get-traces";
import { GetServiceGraphInputSchema, getServiceGraph } from "./get-service-graph";
import { GetTraceSummariesInputSchema, getTraceSummaries } from "./get-trace-summaries";
import { XRayRequestError, toErrorResponse } from "./xray-errors";

/**
 * X-Ray on the wire: restJson1, `POST /ServiceGraph`, `POST /TraceSummaries`, `POST /Traces`
 * with JSON bodies and epoch-second timestamps. Everything is computed from the model for the
 * request's region (the SigV4 scope); client errors are InvalidRequestException (400).
 */

interface Operation<Schema extends z.ZodType> {
  schema: Schema;
  run: (ctx: SimContext, region: string, input: z.infer<Schema>) => unknown;
}

function operation<Schema extends z.ZodType>(schema: Schema, run: (ctx: SimContext, region: string, input: z.infer<Schema>) => unknown): Operation<Schema> {
  return { schema, run };
}

const OPERATIONS: Readonly<Record<string, Operation<z.ZodType>>> = {
  "/ServiceGraph": operation(GetServiceGraphInputSchema, getServiceGraph),
  "/TraceSummaries": operation(GetTraceSummariesInputSchema, getTraceSummaries),
  "/Traces": operation(BatchGetTracesInputSchema, batchGetTraces),
};

function parseBody(body: string): unknown {
  if (body.trim() === "") return {};
  try {
    return JSON.parse(body);
  } catch {
    throw new XRayRequestError("The request body is not valid JSON.");
  }
}

function parseInput<Schema extends z.ZodType>(schema: Schema, body: unknown): z.infer<Schema> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.join(".") || "(body)";
  const missing = issue?.code === "invalid_type" && issue.message.endsWith("received undefined");
  throw new XRayRequestError(missing ? `${path} is required.` : `${path} is invalid: ${issue?.message ?? "unknown problem"}.`);
}

/** Handles one X-Ray request (already routed here by path or signing name). */
export function handleXRay(ctx: SimContext, request: SimRequest): SimResponse {
  const op = OPERATIONS[request.path];
  if (op === undefined || request.method !== "POST") {
    return restJsonError(404, "UnknownOperationException", `The operation ${request.method} ${request.path} is not supported by the Sightline simulator.`);
  }
  try {
    return restJsonResponse(200, op.run(ctx, request.region, parseInput(op.schema, parseBody(request.body))));
  } catch (error) {
    if (error instanceof XRayRequestError) return toErrorResponse(error);
    throw error;
  }
}

/** X-Ray as one service of the simulator. */
export function createXRayApi(ctx: SimContext): SimService {
  return { handle: (request) => handleXRay(ctx, request) };
}
