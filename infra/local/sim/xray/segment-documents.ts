import { segmentIdFor } from "../model/invocation-ids";
import type { SimModel } from "../model/minute-stats";
import { API_STAGE_TYPE, resourceArnOf, restApiIdOf, type NodeRef } from "../model/call-graph";
import type { DownstreamCall } from "../scenario-schema";
import { exceptionOf } from "./trace-summary";
import type { SegmentStatus, TraceCall, TraceRecord, TraceSpan } from "./trace-record";

/**
 * The segment documents of a trace, as BatchGetTraces returns them: one JSON document per
 * segment (API Gateway stage or event source, the Lambda service, the function) plus an
 * inferred segment per downstream call, shaped like the documents the X-Ray SDKs and AWS
 * services send (https://docs.aws.amazon.com/xray/latest/devguide/aws-xray-interface-api.html).
 * Segment ids come from `segmentIdFor` so Logs can name the same segment: part 0 is the Lambda
 * service segment (the `SegmentId` of a REPORT line), 1 the function segment.
 */

/** `segmentIdFor` parts of the segments of one trace (parts stay below 1000). */
const SegmentPart = { lambda: 0, function: 1, entry: 2, entryInvoke: 3, initialization: 4, invocation: 5, functionException: 6, call: 100, callException: 500, callRequestId: 700 } as const;

export interface SegmentWire {
  Id: string;
  Document: string;
}

type Json = Record<string, unknown>;

const toSec = (ms: number) => Math.round(ms * 1000) / 1_000_000;

/** X-Ray's flags for a segment's status: fault = 5xx, error = 4xx, throttle = 429 (also an error). */
function statusFlags(status: SegmentStatus): Json {
  switch (status) {
    case "ok":
      return {};
    case "fault":
      return { fault: true };
    case "error":
      return { error: true };
    case "throttle":
      return { error: true, throttle: true };
  }
}

function timing(span: { startMs: number; endMs: number }): Json {
  return { start_time: toSec(span.startMs), end_time: toSec(span.endMs) };
}

/** The SDK subsegment name, operation and resource fields of a downstream AWS call. */
function callDetails(call: DownstreamCall, region: string, accountId: string): { name: string; namespace: "aws" | "remote"; aws: Json; http: Json } {
  const base = { region, retries: 0 };
  switch (call.service) {
    case "dynamodb": {
      const operation = call.operation === "write" ? "PutItem" : call.operation === "read" ? "GetItem" : "Query";
      return { name: "DynamoDB", namespace: "aws", aws: { ...base, operation, table_name: call.resource, resource_names: [call.resource] }, http: {} };
    }
    case "sqs":
      return {
        name: "SQS",
        namespace: "aws",
        aws: { ...base, operation: "SendMessage", queue_url: `https://sqs.${region}.amazonaws.com/${accountId}/${call.resource}`, resource_names: [call.resource] },
        http: {},
      };
    case "sns":
      return { name: "SNS", namespace: "aws", aws: { ...base, operation: "Publish", topic_arn: `arn:aws:sns:${region}:${accountId}:${call.resource}`, resource_names: [call.resource] }, http: {} };
    case "eventbridge":
      return { name: "EventBridge", namespace: "aws", aws: { ...base, operation: "PutEvents", resource_names: [call.resource] }, http: {} };
    case "lambda":
      return { name: "Lambda", namespace: "aws", aws: { ...base, operation: "Invoke", function_name: call.resource, resource_names: [call.resource] }, http: {} };
    case "http":
      return { name: call.resource, namespace: "remote", aws: {}, http: { request: { method: "POST", url: `https://${call.resource}/` } } };
  }
}

/** The documents of every segment of the trace, root first. */
export function segmentDocuments(model: SimModel, trace: TraceRecord): SegmentWire[] {
  const { fn, minute, index } = trace;
  const accountId = model.fleet.accountId;
  const region = fn.region;
  const id = (part: number) => segmentIdFor(model, fn, minute, index, part);
  const arnOf = (node: NodeRef) => resourceArnOf(node, region, accountId, new Map([[fn.name, fn.arn]]));
  const common = { trace_id: trace.id };
  const segments: SegmentWire[] = [];
  const push = (document: Json) => segments.push({ Id: String(document.id), Document: JSON.stringify(document) });

  let lambdaParentId: string | undefined;
  if (trace.entry !== undefined) {
    const entry = trace.entry;
    if (entry.node.type === API_STAGE_TYPE && trace.http !== undefined && fn.api !== undefined) {
      const apiId = restApiIdOf(fn.api.name);
      const invokeStatus = trace.outcome === "throttled" ? 429 : 200;
      lambdaParentId = id(SegmentPart.entryInvoke);
      push({
        id: id(SegmentPart.entry),
        name: entry.node.name,
        ...timing(entry),
        ...common,
        origin: API_STAGE_TYPE,
        resource_arn: arnOf(entry.node),
        http: {
          request: { url: trace.http.url, method: trace.http.method, user_agent: trace.http.userAgent, client_ip: trace.http.clientIp, x_forwarded_for: true },
          response: { status: trace.http.status, content_length: 0 },
        },
        aws: { api_gateway: { account_id: accountId, rest_api_id: apiId, stage: fn.api.stage, request_id: trace.requestId } },
        annotations: { "aws:api_id": apiId, "aws:api_stage": fn.api.stage },
        metadata: { default: { request_id: trace.requestId } },
        ...statusFlags(entry.status),
        subsegments: [{
          id: lambdaParentId,
          name: "Lambda",
          ...timing(trace.lambda),
          http: { request: { url: `https://lambda.${region}.amazonaws.com/2015-03-31/functions/${fn.arn}/invocations`, method: "POST" }, response: { status: invokeStatus, content_length: 0 } },
          aws: { function_name: fn.name, region, operation: "Invoke", resource_names: [fn.name] },
          namespace: "aws",
          ...statusFlags(trace.lambda.status),
        }],
      });
    } else {
      lambdaParentId = id(SegmentPart.entry);
      push({ id: lambdaParentId, name: entry.node.name, ...timing(entry), ...common, origin: entry.node.type, inferred: true, resource_arn: arnOf(entry.node), ...statusFlags(entry.status) });
    }
  }

  const lambda = trace.lambda;
  push({
    id: id(SegmentPart.lambda),
    name: fn.name,
    ...timing(lambda),
    ...(lambdaParentId === undefined ? {} : { parent_id: lambdaParentId }),
    ...common,
    origin: "AWS::Lambda",
    resource_arn: fn.arn,
    aws: { request_id: trace.requestId },
    ...(lambda.httpStatus === undefined ? {} : { http: { response: { status: lambda.httpStatus } } }),
    ...statusFlags(lambda.status),
  });

  if (trace.function !== undefined) push(functionDocument(model, trace, trace.function, id, accountId));

  // Each downstream call is also an inferred segment of the service it reached.
  trace.calls.forEach((call, ordinal) => {
    const details = callDetails(call.plan.call, region, accountId);
    push({
      id: id(SegmentPart.call + ordinal),
      name: call.span.node.name,
      ...timing(call.span),
      parent_id: id(SegmentPart.function),
      inferred: true,
      ...common,
      ...(call.span.node.type === "remote" ? {} : { origin: call.span.node.type, resource_arn: arnOf(call.span.node) }),
      ...(Object.keys(details.aws).length === 0 ? {} : { aws: details.aws }),
      http: { ...details.http, response: { status: call.span.httpStatus } },
      ...statusFlags(call.span.status),
    });
  });
  return segments;
}

function functionDocument(model: SimModel, trace: TraceRecord, span: TraceSpan, id: (part: number) => string, accountId: string): Json {
  const { fn } = trace;
  const invocationStart = span.startMs + trace.initMs;
  const subsegments: Json[] = [];
  if (trace.coldStart) {
    subsegments.push({ id: id(SegmentPart.initialization), name: "Initialization", ...timing({ startMs: span.startMs, endMs: invocationStart }), aws: { function_arn: fn.arn } });
  }
  subsegments.push({
    id: id(SegmentPart.invocation),
    name: "Invocation",
    ...timing({ startMs: invocationStart, endMs: invocationStart + trace.durationMs }),
    aws: { function_arn: fn.arn },
    ...statusFlags(span.status),
    subsegments: trace.calls.map((call, ordinal) => callSubsegment(model, trace, call, ordinal, id, accountId)),
  });
  const exception = exceptionOf(trace);
  return {
    id: id(SegmentPart.function),
    name: fn.name,
    ...timing(span),
    parent_id: id(SegmentPart.lambda),
    trace_id: trace.id,
    origin: "AWS::Lambda::Function",
    resource_arn: fn.arn,
    aws: { account_id: accountId, function_arn: fn.arn, resource_names: [fn.name] },
    ...statusFlags(span.status),
    ...(exception === undefined
      ? {}
      : { cause: { working_directory: "/var/task", paths: [], exceptions: [{ id: id(SegmentPart.functionException), message: exception.message, type: exception.type }] } }),
    subsegments,
  };
}

function callSubsegment(model: SimModel, trace: TraceRecord, call: TraceCall, ordinal: number, id: (part: number) => string, accountId: string): Json {
  const details = callDetails(call.plan.call, trace.fn.region, accountId);
  const failed = call.span.status === "fault";
  return {
    id: id(SegmentPart.call + ordinal),
    name: details.name,
    ...timing(call.span),
    namespace: details.namespace,
    http: { ...details.http, response: { status: call.span.httpStatus, content_length: 0 } },
    ...(Object.keys(details.aws).length === 0 ? {} : { aws: { ...details.aws, request_id: requestIdOfCall(model, trace, ordinal) } }),
    ...statusFlags(call.span.status),
    ...(failed
      ? { cause: { working_directory: "/var/task", exceptions: [{ id: id(SegmentPart.callException + ordinal), message: "We encountered an internal error. Please try again.", type: "InternalServerError", remote: true }] } }
      : {}),
  };
}

/** The downstream service's request id for the call (32 uppercase hex characters). */
function requestIdOfCall(model: SimModel, trace: TraceRecord, ordinal: number): string {
  const part = (offset: number) => segmentIdFor(model, trace.fn, trace.minute, trace.index, offset + (ordinal % 100));
  return `${part(SegmentPart.callRequestId)}${part(SegmentPart.callRequestId + 100)}`.toUpperCase();
}
