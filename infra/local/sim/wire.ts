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
  /** Region the request was signed for (SigV4 credential scope), else the account's home region. */
  region: string;
}

export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The simulated services, as named in request counts and fault rules. */
export const SIM_SERVICES = ["lambda", "cloudwatch", "logs", "xray", "ce", "sts"] as const;
export type SimServiceName = (typeof SIM_SERVICES)[number];

/** Faults switched on (from the scenario or the admin endpoint) that services act on themselves. */
export interface SimFaults {
  /** Max items per page for the paginated operations of `service` ("truncated pagination"), or undefined. */
  pageLimit(service: SimServiceName): number | undefined;
  /** Share (0..1) of REPORT lines written malformed (cut short, unparseable fields). */
  malformedLogLineRatio(): number;
  /**
   * When set, Logs Insights queries never finish: they stay `Running` for this many seconds
   * and then end as `Timeout` (the real service gives up after 60 minutes).
   */
  logsQueryTimeoutSeconds(): number | undefined;
}

/** No faults: what a service sees when nothing is switched on. */
export const NO_FAULTS: SimFaults = {
  pageLimit: () => undefined,
  malformedLogLineRatio: () => 0,
  logsQueryTimeoutSeconds: () => undefined,
};

/** What every API handler needs: the model, the clock (epoch ms) and the faults in force. */
export interface SimContext {
  model: SimModel;
  now: () => number;
  faults: SimFaults;
}

/**
 * One simulated service on the shared port. `handle` may be async (Logs queries run in the
 * background); `close` releases timers when the simulator stops.
 */
export interface SimService {
  handle(request: SimRequest): SimResponse | Promise<SimResponse>;
  close?(): void;
}

const CREDENTIAL_SCOPE = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;

/** Region and signing name from the SigV4 `authorization` header, if present. */
export function signingScope(authorization: string | undefined): { region: string; service: string } | undefined {
  const match = CREDENTIAL_SCOPE.exec(authorization ?? "");
  return match === null ? undefined : { region: match[1] ?? "", service: match[2] ?? "" };
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
