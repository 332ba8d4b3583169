import { restJsonError, type SimResponse } from "../wire";

/**
 * X-Ray's client errors. Every validation failure of the simulated X-Ray is an
 * InvalidRequestException (HTTP 400), as on AWS; throttling (429 ThrottledException) is done
 * by the server's fault rules before a request reaches X-Ray.
 */
export class XRayRequestError extends Error {
  override readonly name = "XRayRequestError";
  readonly errorType = "InvalidRequestException";
}

/** The restJson1 error response for an X-Ray client error. */
export function toErrorResponse(error: XRayRequestError): SimResponse {
  return restJsonError(400, error.errorType, error.message);
}
