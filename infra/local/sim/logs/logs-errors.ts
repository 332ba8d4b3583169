/**
 * CloudWatch Logs client errors, raised anywhere in the service and turned into the awsJson1_1
 * error shape once, in logs-api (`400 {"__type": type, "message": ...}`).
 */

export type LogsErrorType =
  | "InvalidParameterException"
  | "ResourceNotFoundException"
  | "MalformedQueryException"
  | "LimitExceededException"
  | "SerializationException"
  | "UnknownOperationException";

/** A client error of the Logs service, with AWS's error type name. */
export class LogsError extends Error {
  override readonly name = "LogsError";

  constructor(
    readonly type: LogsErrorType,
    message: string,
    /** Extra members of the error body (MalformedQueryException's `queryCompileError`). */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

/** An InvalidParameterException with AWS-like wording. */
export const invalidParameter = (message: string) => new LogsError("InvalidParameterException", message);

/** AWS's wording for a request member outside its constraint. */
export function constraintViolation(member: string, value: unknown, constraint: string): LogsError {
  return invalidParameter(`1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`);
}
