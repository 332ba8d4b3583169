import { FUNCTION_TYPE, hasAccount, resourceArnOf, type NodeRef } from "../model/call-graph";
import { rootSpanOf, serviceNodesOf, spansOf, type TraceRecord } from "./trace-record";

/** A `TraceSummary` as GetTraceSummaries returns it (timestamps in epoch seconds). */
export interface TraceSummaryWire {
  Id: string;
  StartTime: number;
  Duration: number;
  ResponseTime: number;
  HasFault: boolean;
  HasError: boolean;
  HasThrottle: boolean;
  IsPartial: boolean;
  Http?: { HttpURL: string; HttpStatus: number; HttpMethod: string; UserAgent: string; ClientIp: string };
  Annotations: Record<string, never>;
  Users: never[];
  ServiceIds: ServiceIdWire[];
  EntryPoint: ServiceIdWire;
  ResourceARNs: { ARN: string }[];
  InstanceIds: never[];
  AvailabilityZones: never[];
  FaultRootCauses: FaultRootCauseWire[];
  ErrorRootCauses: never[];
  ResponseTimeRootCauses: never[];
  Revision: number;
  MatchedEventTime?: number;
}

interface ServiceIdWire {
  Name: string;
  Names: string[];
  AccountId?: string;
  Type: string;
}

interface FaultRootCauseWire {
  Services: {
    Name: string;
    Names: string[];
    Type: string;
    AccountId: string;
    EntityPath: { Name: string; Exceptions: { Name: string; Message: string }[]; Remote: boolean }[];
    Inferred: boolean;
  }[];
  ClientImpacting: boolean;
}

/** How a failed invocation shows up in the function segment's `cause`. */
export function exceptionOf(trace: TraceRecord): { type: string; message: string } | undefined {
  const runtime = trace.fn.runtime;
  switch (trace.outcome) {
    case "timeout":
      return { type: "Sandbox.Timedout", message: `Task timed out after ${(trace.durationMs / 1000).toFixed(2)} seconds` };
    case "out-of-memory":
      return { type: "Runtime.OutOfMemory", message: "Runtime exited with error: signal: killed" };
    case "error":
      if (runtime.startsWith("python")) return { type: "Exception", message: "Unhandled exception in handler" };
      if (runtime.startsWith("java")) return { type: "java.lang.RuntimeException", message: "Unhandled exception in handler" };
      return { type: "Error", message: "Unhandled error in handler" };
    default:
      return undefined;
  }
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

function serviceId(node: NodeRef, accountId: string): ServiceIdWire {
  return { Name: node.name, Names: [node.name], ...(hasAccount(node) ? { AccountId: accountId } : {}), Type: node.type };
}

/** The summary of one trace. `matchedEventTimeSec` is set for TimeRangeType Event/Service. */
export function toTraceSummary(trace: TraceRecord, accountId: string, matchedEventTimeSec?: number): TraceSummaryWire {
  const root = rootSpanOf(trace);
  const nodes = serviceNodesOf(trace);
  const region = trace.fn.region;
  const fnArns = new Map([[trace.fn.name, trace.fn.arn]]);
  const arns = [...new Set(nodes.map((node) => resourceArnOf(node, region, accountId, fnArns)).filter((arn): arn is string => arn !== undefined))];
  const exception = exceptionOf(trace);
  const summary: TraceSummaryWire = {
    Id: trace.id,
    StartTime: round3(trace.startMs) / 1000,
    Duration: round3((trace.endMs - trace.startMs) / 1000),
    ResponseTime: round3((root.endMs - root.startMs) / 1000),
    HasFault: root.status === "fault",
    HasError: root.status === "error" || root.status === "throttle",
    HasThrottle: spansOf(trace).some((span) => span.status === "throttle"),
    IsPartial: false,
    ...(trace.http === undefined
      ? {}
      : { Http: { HttpURL: trace.http.url, HttpStatus: trace.http.status, HttpMethod: trace.http.method, UserAgent: trace.http.userAgent, ClientIp: trace.http.clientIp } }),
    Annotations: {},
    Users: [],
    ServiceIds: nodes.map((node) => serviceId(node, accountId)),
    EntryPoint: serviceId(root.node, accountId),
    ResourceARNs: arns.map((ARN) => ({ ARN })),
    InstanceIds: [],
    AvailabilityZones: [],
    FaultRootCauses: exception === undefined
      ? []
      : [{
        Services: [{
          Name: trace.fn.name,
          Names: [trace.fn.name],
          Type: FUNCTION_TYPE,
          AccountId: accountId,
          EntityPath: [{ Name: trace.fn.name, Exceptions: [{ Name: exception.type, Message: exception.message }], Remote: false }],
          Inferred: false,
        }],
        ClientImpacting: true,
      }],
    ErrorRootCauses: [],
    ResponseTimeRootCauses: [],
    Revision: 1,
  };
  if (matchedEventTimeSec !== undefined) summary.MatchedEventTime = matchedEventTimeSec;
  return summary;
}
