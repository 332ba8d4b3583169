import type { FunctionSpec } from "../model/fleet";
import { hashString } from "../model/random";

/**
 * RESOURCE_ID values of the simulated bill: the ARN of what the usage is billed against, as
 * Cost Explorer's resource-level data shows it. Usage without a resource (X-Ray traces) has
 * AWS's placeholder `NoResourceId`.
 */

export const NO_RESOURCE_ID = "NoResourceId";

/** `arn:aws:dynamodb:<region>:<account>:table/<name>`. */
export function dynamodbTableArn(fn: FunctionSpec, accountId: string, table: string): string {
  return `arn:aws:dynamodb:${fn.region}:${accountId}:table/${table}`;
}

/** `arn:aws:events:<region>:<account>:event-bus/<name>`. */
export function eventBusArn(fn: FunctionSpec, accountId: string, bus: string): string {
  return `arn:aws:events:${fn.region}:${accountId}:event-bus/${bus}`;
}

/** `arn:aws:sqs:<region>:<account>:<queue>`. */
export function sqsQueueArn(fn: FunctionSpec, accountId: string, queue: string): string {
  return `arn:aws:sqs:${fn.region}:${accountId}:${queue}`;
}

/** `arn:aws:sns:<region>:<account>:<topic>`. */
export function snsTopicArn(fn: FunctionSpec, accountId: string, topic: string): string {
  return `arn:aws:sns:${fn.region}:${accountId}:${topic}`;
}

/** The ARN of the function's log group. */
export function logGroupArn(fn: FunctionSpec, accountId: string): string {
  return `arn:aws:logs:${fn.region}:${accountId}:log-group:${fn.logGroupName}`;
}

/**
 * The stage ARN of the REST API in front of an api-triggered function. The fleet has no API
 * ids, so the 10-character id API Gateway would assign is derived from the API's name.
 */
export function apiStageArn(fn: FunctionSpec, api: { name: string; stage: string }): string {
  return `arn:aws:apigateway:${fn.region}::/restapis/${restApiId(api.name)}/stages/${api.stage}`;
}

/** A stable API Gateway-style id (10 lower-case base-36 characters) for an API name. */
export function restApiId(apiName: string): string {
  const a = hashString(apiName).toString(36);
  const b = hashString(`${apiName}#`).toString(36);
  return `${a}${b}`.padEnd(10, "0").slice(0, 10);
}
