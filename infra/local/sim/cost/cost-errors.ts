/**
 * Client errors of the simulated Cost Explorer, mapped once to AWS's awsJson1_1 shape
 * (`400 {"__type": type, "message": ...}`) by cost-explorer-api.ts.
 */
export type CostExplorerErrorType =
  | "ValidationException"
  | "DataUnavailableException"
  | "InvalidNextTokenException"
  | "BillExpirationException"
  | "RequestChangedException"
  | "SerializationException"
  | "UnknownOperationException";

export class CostExplorerError extends Error {
  override readonly name = "CostExplorerError";

  constructor(
    readonly type: CostExplorerErrorType,
    message: string,
  ) {
    super(message);
  }
}

/** The service's answer to any invalid parameter. */
export function validationError(message: string): CostExplorerError {
  return new CostExplorerError("ValidationException", message);
}
