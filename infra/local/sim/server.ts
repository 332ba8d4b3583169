import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { CLOUDWATCH_TARGET_PREFIX, handleCloudWatch } from "./cloudwatch-api";
import { handleLambda } from "./lambda-api";
import { createSimModel } from "./model/minute-stats";
import type { Scenario } from "./scenario-schema";
import { awsJsonError, restJsonError, type SimContext, type SimRequest, type SimResponse } from "./wire";

export type { Scenario } from "./scenario-schema";

/** Options of `startSimulator`. */
export interface SimulatorOptions {
  /** Interface to bind; default 127.0.0.1 (loopback only). */
  host?: string;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Seed of the traffic model; defaults to the scenario's `seed`. */
  seed?: number;
  scenario: Scenario;
  /** Clock in epoch ms (default `Date.now`); telemetry is published up to one minute before it. */
  now?: () => number;
}

/** A running simulator. Point SDK clients at `url` (`endpoint` or `AWS_ENDPOINT_URL`). */
export interface RunningSimulator {
  url: string;
  port: number;
  /** Stops listening and closes open (keep-alive) connections. */
  close(): Promise<void>;
}

const gunzipAsync = promisify(gunzip);
/** Larger bodies are refused; the biggest legitimate request (500 queries) is far smaller. */
const MAX_BODY_BYTES = 20 * 1024 * 1024;
const SIGNING_NAME = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/;
const REST_API_PATH = /^\/\d{4}-\d{2}-\d{2}\//;

/**
 * Starts the simulated AWS account: one HTTP server speaking Lambda (restJson1) and
 * CloudWatch (awsJson1_0) on one port. Signatures are not checked.
 * @throws the listen error itself (e.g. EADDRINUSE) by rejecting.
 */
export function startSimulator(opts: SimulatorOptions): Promise<RunningSimulator> {
  const host = opts.host ?? "127.0.0.1";
  const ctx: SimContext = {
    model: createSimModel(opts.scenario, opts.seed ?? opts.scenario.seed),
    now: opts.now ?? Date.now,
  };
  let requestCount = 0;
  const server = createServer((req, res) => {
    requestCount++;
    void serve(ctx, req, res, requestCount);
  });
  // keep-alive sockets from SDK clients must not hold close() open.
  server.keepAliveTimeout = 5_000;

  return new Promise((resolve, reject) => {
    const onListenError = (error: Error) => reject(error);
    server.once("error", onListenError);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", onListenError);
      // Later server-level errors must not crash the host process; requests fail individually.
      server.on("error", () => undefined);
      const { port } = server.address() as AddressInfo;
      const urlHost = host.includes(":") ? `[${host}]` : host;
      resolve({
        url: `http://${urlHost}:${port}`,
        port,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error === undefined ? done() : fail(error)));
            server.closeAllConnections();
          }),
      });
    });
  });
}

async function serve(ctx: SimContext, req: IncomingMessage, res: ServerResponse, requestNumber: number): Promise<void> {
  let response: SimResponse;
  try {
    const request = await readRequest(req);
    response = request === undefined
      ? restJsonError(413, "RequestEntityTooLargeException", "Request must be smaller than 20971520 bytes.")
      : route(ctx, request);
  } catch (error) {
    response = error instanceof BadRequestError
      ? awsJsonError("application/json", 400, "SerializationException", error.message)
      : restJsonError(500, "ServiceException", "The simulator failed to handle the request.");
  }
  const body = Buffer.from(response.body, "utf8");
  res.writeHead(response.status, {
    ...response.headers,
    "content-length": String(body.length),
    // Deterministic per server run: the n-th request gets the n-th id.
    "x-amzn-requestid": `00000000-0000-4000-8000-${requestNumber.toString(16).padStart(12, "0")}`,
  });
  res.end(body);
}

class BadRequestError extends Error {}

/** Reads and (if gzip-encoded) inflates the body; undefined when it is too large. */
async function readRequest(req: IncomingMessage): Promise<SimRequest | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  let raw = Buffer.concat(chunks);
  const encoding = (req.headers["content-encoding"] ?? "").toLowerCase();
  if (encoding.includes("gzip")) {
    try {
      raw = await gunzipAsync(raw);
    } catch {
      throw new BadRequestError("The request body is not valid gzip.");
    }
  }
  const url = new URL(req.url ?? "/", "http://simulator.invalid");
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  return { method: req.method ?? "GET", path: url.pathname, query: url.searchParams, headers, body: raw.toString("utf8") };
}

/**
 * JSON-RPC services are identified by `x-amz-target`; REST services by the SigV4 signing name
 * (`.../lambda/aws4_request`), or failing that by their dated REST paths.
 */
function route(ctx: SimContext, request: SimRequest): SimResponse {
  const target = request.headers["x-amz-target"];
  if (target !== undefined) {
    if (target.startsWith(CLOUDWATCH_TARGET_PREFIX)) return handleCloudWatch(ctx, request);
    const contentType = request.headers["content-type"] ?? "application/x-amz-json-1.1";
    return awsJsonError(contentType, 400, "UnknownOperationException", `The operation ${target} is not served by the Sightline simulator.`);
  }
  const signingName = SIGNING_NAME.exec(request.headers.authorization ?? "")?.[1];
  if (signingName === "lambda" || (signingName === undefined && REST_API_PATH.test(request.path))) {
    return handleLambda(ctx, request);
  }
  if (signingName === "monitoring") {
    return awsJsonError("application/x-amz-json-1.0", 400, "UnknownOperationException", "Missing x-amz-target header.", "UnknownOperation");
  }
  return restJsonError(404, "UnknownOperationException", `No simulated service for ${request.method} ${request.path}${signingName === undefined ? "" : ` (signing name ${signingName})`}.`);
}
