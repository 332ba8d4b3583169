/** Lambda's default log group of a function: `/aws/lambda/<function name>`. */
export const LAMBDA_LOG_GROUP_PREFIX = "/aws/lambda/";

/** The log group a function writes to by default. */
export function lambdaLogGroupName(functionName: string): string {
  return `${LAMBDA_LOG_GROUP_PREFIX}${functionName}`;
}

/**
 * Reads Insights' `@log` value (`<account>:<log group name>`) of a Lambda log group back into
 * the account and function name; undefined for anything else.
 */
export function parseLambdaLogField(log: string): { accountId: string; functionName: string } | undefined {
  const match = /^(\d{12}):\/aws\/lambda\/(.+)$/.exec(log);
  if (match === null) return undefined;
  return { accountId: match[1]!, functionName: match[2]! };
}
