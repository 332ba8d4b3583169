import { describeError } from "@/lib/use-cases/describe-error";

/** The error codes the JSON API answers with; clients switch on `error.code`. */
export type ApiErrorCode = "bad-request" | "unauthenticated" | "forbidden" | "not-found" | "ambiguous" | "conflict" | "payload-too-large" | "unsupported-media-type" | "aws-error" | "no-data" | "internal";

/**
 * An error the API reports to its caller as is: a status, a code and a safe message, plus
 * `details` the caller can act on (e.g. where else a name exists), sent beside `error`.
 */
export class ApiError extends Error {
  override readonly name: string = "ApiError";
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** A query parameter or body field is invalid; the message names it (`details.errors`: every field at fault). */
export class BadRequestError extends ApiError {
  override readonly name = "BadRequestError";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(400, "bad-request", message, details);
  }
}

/** The request conflicts with what is stored (an id taken, an edit of an outdated version). */
export class ConflictError extends ApiError {
  override readonly name = "ConflictError";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(409, "conflict", message, details);
  }
}

/** The body is larger than the route accepts. */
export class PayloadTooLargeError extends ApiError {
  override readonly name = "PayloadTooLargeError";
  constructor(message: string) {
    super(413, "payload-too-large", message);
  }
}

/** The body's Content-Type is not one the route reads. */
export class UnsupportedMediaTypeError extends ApiError {
  override readonly name = "UnsupportedMediaTypeError";
  constructor(message: string) {
    super(415, "unsupported-media-type", message);
  }
}

/** Neither a valid bearer token nor a session came with the request. */
export class UnauthenticatedError extends ApiError {
  override readonly name = "UnauthenticatedError";
  constructor(message = "sign in or send an API token as 'Authorization: Bearer <token>'") {
    super(401, "unauthenticated", message);
  }
}

/** The caller is known but their role lacks the permission the route needs. */
export class ForbiddenError extends ApiError {
  override readonly name = "ForbiddenError";
  constructor(message: string) {
    super(403, "forbidden", message);
  }
}

/** What the request names (a function, a map node) does not exist; the message says which. */
export class NotFoundError extends ApiError {
  override readonly name = "NotFoundError";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(404, "not-found", message, details);
  }
}

/** The request names something that exists more than once (a function in several accounts); `details` lists the choices. */
export class AmbiguousError extends ApiError {
  override readonly name = "AmbiguousError";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(409, "ambiguous", message, details);
  }
}

/** The request is valid but there is nothing to compute it from (e.g. no traffic collected in the window). */
export class NoDataError extends ApiError {
  override readonly name = "NoDataError";
  constructor(message: string) {
    super(422, "no-data", message);
  }
}

/**
 * An AWS API the request acted on refused it (502) or could not be reached or was throttled
 * (503, try again); the message ends with AWS's `<Code>: <message>`.
 */
export class AwsApiError extends ApiError {
  override readonly name = "AwsApiError";
  constructor(status: 502 | 503, message: string, details: Record<string, unknown> = {}) {
    super(status, "aws-error", message, details);
  }
}

/**
 * A request body's JSON text → value. A syntax error is a 400 (`body: not valid JSON (…)`), and
 * so is a `__proto__` key anywhere (`pools[0].rule.percentages.__proto__: …`): JSON.parse keeps
 * it as an own property, but the first copy into a plain object (a spread, Object.assign, a zod
 * record) would either drop it silently or turn it into the copy's prototype. No Sightline field
 * is named `__proto__`, so refusing it loses nothing.
 */
export function parseJsonBody(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BadRequestError(`body: not valid JSON (${error instanceof Error ? error.message : "parse error"})`, { errors: [{ path: "body", message: "not valid JSON" }] });
  }
  // Iterative, so a deeply nested body (up to the size limit) cannot overflow the stack.
  const pending: { value: unknown; path: string }[] = [{ value, path: "" }];
  while (pending.length > 0) {
    const { value: node, path } = pending.pop()!;
    if (node === null || typeof node !== "object") continue;
    if (Array.isArray(node)) {
      node.forEach((item, i) => pending.push({ value: item, path: `${path}[${i}]` }));
      continue;
    }
    for (const key of Object.keys(node)) {
      const at = path === "" ? key : `${path}.${key}`;
      if (key === "__proto__") {
        const message = "a key named __proto__ is not accepted";
        throw new BadRequestError(`${at}: ${message}`, { errors: [{ path: at, message }] });
      }
      pending.push({ value: (node as Record<string, unknown>)[key], path: at });
    }
  }
  return value;
}

/** Every JSON answer of the API carries these headers: API data is never cached. */
export const API_HEADERS = { "Cache-Control": "no-store" } as const;

/**
 * The one place where errors become HTTP answers. Typed API errors keep their status, code
 * and message; anything else is a 500 with a generic message, and one line naming the
 * request and the error goes to the server log. Stacks never reach the caller.
 */
export function toErrorResponse(error: unknown, request: { method: string; url: string }): Response {
  if (error instanceof ApiError) {
    return Response.json({ ...error.details, error: { code: error.code, message: error.message } }, { status: error.status, headers: API_HEADERS });
  }
  console.error(`[sightline] ${request.method} ${new URL(request.url).pathname} failed: ${describeError(error)}`);
  return Response.json(
    { error: { code: "internal" satisfies ApiErrorCode, message: "internal error; the server log has the details" } },
    { status: 500, headers: API_HEADERS },
  );
}

/** Wraps a route handler so every error it throws is answered by `toErrorResponse`. */
export function handleApi(handler: (request: Request) => Promise<Response>): (request: Request) => Promise<Response> {
  return async (request) => {
    try {
      return await handler(request);
    } catch (error) {
      return toErrorResponse(error, request);
    }
  };
}
