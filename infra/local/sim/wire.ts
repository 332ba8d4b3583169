import type { SimModel } from "./model/minute-stats";

/**
 * Shared wire types of the simulated services (see /work/shared/reference/aws-wire.md): what a
 * handler gets from the HTTP layer and what it answers, plus AWS-style error bodies. Handlers
 * stay free of `node:http` so they can be tested and reused without a socket.
 */

/** An HTTP request as the handlers see it: body already gunzipped, header names lower-case. */
export interface SimRequest {
  method: string;
  /** Path without the query string, still percent-encoded. */
  path: string;
  query: URLSearchParams;
  headers: Readonly<Record<string, string | undefined>>;
  body: string;
}

export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What every API handler needs: the model and the clock (epoch ms). */
export interface SimContext {
  model: SimModel;
  now: () => number;
}

/** A restJson1 (Lambda, X-Ray) JSON response. */
export function restJsonResponse(status: number, payload: unknown): SimResponse {
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify(payload) };
}

/**
 * A restJson1 error: the SDK reads the error name from `x-amzn-errortype`; Lambda also sends
 * `Type` (User/Service) and `message` in the body.
 */
export function restJsonError(status: number, errorType: string, message: string): SimResponse {
  return {
    status,
    headers: { "content-type": "application/json", "x-amzn-errortype": errorType },
    body: JSON.stringify({ Type: status < 500 ? "User" : "Service", message }),
  };
}

/** An awsJson1_0 / 1_1 success response. */
export function awsJsonResponse(contentType: string, payload: unknown): SimResponse {
  return { status: 200, headers: { "content-type": contentType }, body: JSON.stringify(payload) };
}

/**
 * An awsJson error. For awsQueryCompatible services (CloudWatch) `queryErrorCode` fills the
 * `x-amzn-query-error: Code;Sender` header, which the SDK exposes as `error.Code`.
 */
export function awsJsonError(
  contentType: string,
  status: number,
  type: string,
  message: string,
  queryErrorCode?: string,
): SimResponse {
  const headers: Record<string, string> = { "content-type": contentType };
  if (queryErrorCode !== undefined) headers["x-amzn-query-error"] = `${queryErrorCode};${status < 500 ? "Sender" : "Receiver"}`;
  return { status, headers, body: JSON.stringify({ __type: type, message }) };
}
