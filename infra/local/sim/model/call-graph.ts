import type { FunctionSpec } from "./fleet";
import { isTraced } from "./invocation-ids";
import type { SimModel } from "./minute-stats";
import { hashInts, hashString } from "./random";
import type { DownstreamCall } from "../scenario-schema";

/**
 * The nodes a traced invocation touches, named and typed as X-Ray names them:
 * - API entry points: a `client` node and the `AWS::ApiGateway::Stage` `<api>/<stage>`;
 * - SNS, SQS and EventBridge triggers: the topic / queue / bus the event came through;
 * - the Lambda service node `AWS::Lambda` and the function node `AWS::Lambda::Function`;
 * - one node per downstream call: `AWS::DynamoDB::Table`, `AWS::SQS::Queue`, `AWS::SNS`,
 *   `AWS::Events` (the bus), `AWS::Lambda` for a synchronous invoke, `remote` for HTTP hosts.
 * DynamoDB-stream, schedule and direct-invoke triggers are not traced by X-Ray, so those
 * functions' traces start at the `AWS::Lambda` node.
 */

/** The functions X-Ray sees in a region (active tracing), in scenario order. */
export function tracedFunctions(model: SimModel, region: string): FunctionSpec[] {
  return model.fleet.functions.filter((fn) => fn.region === region && isTraced(fn));
}

/** A service-graph node: its name and X-Ray type. */
export interface NodeRef {
  name: string;
  type: string;
}

/** A stable key for maps of nodes. */
export function nodeKey(node: NodeRef): string {
  return `${node.type}|${node.name}`;
}

export const CLIENT_TYPE = "client";
export const LAMBDA_TYPE = "AWS::Lambda";
export const FUNCTION_TYPE = "AWS::Lambda::Function";
export const API_STAGE_TYPE = "AWS::ApiGateway::Stage";

/** The segment a trace starts with before Lambda (API stage or event source), if any. */
export function entryNodeOf(fn: FunctionSpec): NodeRef | undefined {
  const trigger = fn.trigger;
  switch (trigger.type) {
    case "api":
      return fn.api === undefined ? undefined : { name: `${fn.api.name}/${fn.api.stage}`, type: API_STAGE_TYPE };
    case "sns":
      return { name: trigger.topic, type: "AWS::SNS" };
    case "sqs":
      return { name: trigger.queue, type: "AWS::SQS::Queue" };
    case "eventbridge":
      return { name: trigger.bus, type: "AWS::Events" };
    default:
      return undefined;
  }
}

/** The `client` node in front of an API entry point (X-Ray names it after the service it calls). */
export function clientNodeOf(fn: FunctionSpec): NodeRef | undefined {
  const entry = entryNodeOf(fn);
  return entry?.type === API_STAGE_TYPE ? { name: entry.name, type: CLIENT_TYPE } : undefined;
}

/** The Lambda service node of a function (what callers and event sources reach). */
export function lambdaNodeOf(functionName: string): NodeRef {
  return { name: functionName, type: LAMBDA_TYPE };
}

/** The function node (the code running in the execution environment). */
export function functionNodeOf(functionName: string): NodeRef {
  return { name: functionName, type: FUNCTION_TYPE };
}

/** The node a downstream call reaches. */
export function downstreamNodeOf(call: DownstreamCall): NodeRef {
  switch (call.service) {
    case "dynamodb":
      return { name: call.resource, type: "AWS::DynamoDB::Table" };
    case "sqs":
      return { name: call.resource, type: "AWS::SQS::Queue" };
    case "sns":
      return { name: call.resource, type: "AWS::SNS" };
    case "eventbridge":
      return { name: call.resource, type: "AWS::Events" };
    case "lambda":
      return lambdaNodeOf(call.resource);
    case "http":
      return { name: call.resource, type: "remote" };
  }
}

/** Whether X-Ray reports an account for the node (AWS resources do; clients and remote hosts do not). */
export function hasAccount(node: NodeRef): boolean {
  return node.type !== CLIENT_TYPE && node.type !== "remote";
}

const REST_API_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A deterministic 10-character REST API id (`[a-z0-9]`), as API Gateway assigns them. */
export function restApiIdOf(apiName: string): string {
  const seed = hashString(apiName);
  let id = "";
  for (let i = 0; i < 10; i++) id += REST_API_ID_ALPHABET[hashInts(seed, i) % REST_API_ID_ALPHABET.length];
  return id;
}

/** The ARN X-Ray lists for a node in `ResourceARNs`, if it has one. */
export function resourceArnOf(node: NodeRef, region: string, accountId: string, fnArnByName: ReadonlyMap<string, string>): string | undefined {
  switch (node.type) {
    case API_STAGE_TYPE: {
      const slash = node.name.lastIndexOf("/");
      return `arn:aws:apigateway:${region}::/restapis/${restApiIdOf(node.name.slice(0, slash))}/stages/${node.name.slice(slash + 1)}`;
    }
    case LAMBDA_TYPE:
    case FUNCTION_TYPE:
      return fnArnByName.get(node.name) ?? `arn:aws:lambda:${region}:${accountId}:function:${node.name}`;
    case "AWS::DynamoDB::Table":
      return `arn:aws:dynamodb:${region}:${accountId}:table/${node.name}`;
    case "AWS::SQS::Queue":
      return `arn:aws:sqs:${region}:${accountId}:${node.name}`;
    case "AWS::SNS":
      return `arn:aws:sns:${region}:${accountId}:${node.name}`;
    case "AWS::Events":
      return `arn:aws:events:${region}:${accountId}:event-bus/${node.name}`;
    default:
      return undefined;
  }
}

/** Method and path of an API-triggered function's route (`GET /orders/{id}`). */
export function routeOf(fn: FunctionSpec): { method: string; path: string } | undefined {
  if (fn.trigger.type !== "api") return undefined;
  const [method = "GET", path = "/"] = fn.trigger.route.split(" ");
  return { method: method === "ANY" ? "GET" : method, path };
}

/** The invoke URL of an API stage: `https://<id>.execute-api.<region>.amazonaws.com/<stage>`. */
export function stageUrlOf(fn: FunctionSpec, region: string): string | undefined {
  if (fn.api === undefined) return undefined;
  return `https://${restApiIdOf(fn.api.name)}.execute-api.${region}.amazonaws.com/${fn.api.stage}`;
}
