import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { z } from "zod";
import { CLOUDWATCH_TARGET_PREFIX, createCloudWatchApi } from "./cloudwatch-api";
import { COST_EXPLORER_TARGET_PREFIX, createCostExplorerApi } from "./cost/cost-explorer-api";
import { FaultController, FaultRulesSchema, type FaultRuleInput } from "./faults";
import { createLambdaApi, lambdaOperationName } from "./lambda-api";
import { LOGS_TARGET_PREFIX, createLogsApi } from "./logs/logs-api";
import { hostedAccountScenarios, memberStateFile, type HostedAccount, type HostedAccountScenario } from "./accounts";
import { createSimModel, type SimModel } from "./model/minute-stats";
import type { Scenario } from "./scenario-schema";
import { identifyCaller, type HostedDirectory } from "./session-credentials";
import { createAccountWriter, openSimState, type AccountWriter, type SimState } from "./sim-state";
import { createStsApi, stsError, stsOperationName } from "./sts-api";
import {
  awsJsonError,
  restJsonError,
  restJsonResponse,
  signingScope,
  type SimContext,
  type SimRequest,
  type SimResponse,
  type SimService,
  type SimServiceName,
} from "./wire";
import { createXRayApi } from "./xray/xray-api";

const MS_PER_DAY = 86_400_000;

export type { Scenario } from "./scenario-schema";

/** Options of `startSimulator`. */
export interface SimulatorOptions {
  /** Interface to bind; default 127.0.0.1 (loopback only). */
  host?: string;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Seed of the traffic model of every hosted account; defaults to each account's scenario's `seed`. */
  seed?: number;
  scenario: Scenario;
  /** Clock in epoch ms (default `Date.now`); telemetry is published up to one minute before it. */
  now?: () => number;
  /**
   * Epoch day relative schedules (`daysAgo`) count back from and history starts from; default
   * the UTC day of `now()` at start (or the day kept in `stateFile`).
   */
  anchorDay?: number;
  /**
   * JSON file that keeps the account's state across restarts: the anchor day and every write
   * (provisioned concurrency, memory, ...). Without it, writes last as long as the process.
   * Member accounts keep theirs beside it, in `<member scenario>-<seed>.json`.
   */
  stateFile?: string;
  /** Fault rules in force from the start (added to the scenario's own). */
  faults?: readonly FaultRuleInput[];
}

/** Requests served, per service and operation (faulted ones included). */
export interface RequestCounts {
  total: number;
  services: Partial<Record<SimServiceName, Record<string, number>>>;
}

/** One account a running simulator hosts. */
export interface SimulatedAccount extends HostedAccount {
  /** Name of the scenario it is simulated from. */
  scenario: string;
  region: string;
  functions: number;
  seed: number;
  anchorDay: number;
  /** Where its state is kept, if anywhere. */
  stateFile: string | null;
}

/** A running simulator. Point SDK clients at `url` (`endpoint` or `AWS_ENDPOINT_URL`). */
export interface RunningSimulator {
  url: string;
  port: number;
  /** Seed and anchor day of the primary account (for reproducing a run). */
  seed: number;
  anchorDay: number;
  /**
   * The accounts it hosts, the primary (the scenario's own, `roleArn: null`) first, then the
   * member accounts reached with STS AssumeRole on their `roleArn`.
   */
  accounts: readonly SimulatedAccount[];
  /** Requests served, all accounts together. */
  requestCounts(): RequestCounts;
  /** Requests served per account id (requests refused for unrecognised credentials are in no account). */
  requestCountsByAccount(): Record<string, RequestCounts>;
  /** Resets every count. */
  resetRequestCounts(): void;
  /** The fault rules in force; `set` replaces them. */
  faults: FaultController;
  /** Stops listening and closes open (keep-alive) connections. */
  close(): Promise<void>;
}

const gunzipAsync = promisify(gunzip);
/** Larger bodies are refused; the biggest legitimate request (500 queries) is far smaller. */
const MAX_BODY_BYTES = 20 * 1024 * 1024;
const LAMBDA_REST_PATH = /^\/\d{4}-\d{2}-\d{2}\//;
const XRAY_OPERATIONS: Readonly<Record<string, string>> = {
  "/ServiceGraph": "GetServiceGraph",
  "/TraceSummaries": "GetTraceSummaries",
  "/Traces": "BatchGetTraces",
};
const ADMIN_PREFIX = "/__sim/";

/** The services each hosted account has its own instance of (STS is shared). */
type AccountServiceName = Exclude<SimServiceName, "sts">;

/** One hosted account: its own model, state, writes and service instances. */
interface AccountRuntime {
  hosted: HostedAccountScenario;
  seed: number;
  anchorDay: number;
  stateFile: string | undefined;
  model: SimModel;
  state: SimState | undefined;
  writes: AccountWriter;
  services: Record<AccountServiceName, SimService>;
}

/**
 * Starts the simulated AWS account: one HTTP server speaking Lambda and X-Ray (restJson1),
 * CloudWatch (awsJson1_0), CloudWatch Logs and Cost Explorer (awsJson1_1) and STS (awsQuery)
 * on one port, plus a loopback-only admin endpoint under `/__sim/`. Signatures are not
 * checked. The scenario's member accounts (`account.members`) are hosted beside it, each a
 * complete account of its own; a request acts in the account its access key names (see
 * `session-credentials.ts`). Faults apply to every account.
 * @throws the listen error itself (e.g. EADDRINUSE) by rejecting.
 */
export async function startSimulator(opts: SimulatorOptions): Promise<RunningSimulator> {
  const host = opts.host ?? "127.0.0.1";
  const now = opts.now ?? Date.now;
  const faults = new FaultController([...(opts.scenario.faults ?? []), ...(opts.faults ?? [])]);
  /** An explicit seed applies to every account; otherwise each has its scenario's own. */
  const seedOf = (hosted: HostedAccountScenario) => (opts.seed ?? hosted.scenario.seed) >>> 0;
  const [primaryHosted, ...memberHosted] = hostedAccountScenarios(opts.scenario);
  const primary = startAccount(primaryHosted!, opts.stateFile);
  const accounts = [
    primary,
    ...memberHosted.map((hosted) =>
      startAccount(hosted, opts.stateFile === undefined ? undefined : memberStateFile(opts.stateFile, hosted.scenario.name, seedOf(hosted)), primary.anchorDay),
    ),
  ];
  const byAccountId = new Map(accounts.map((account) => [account.hosted.accountId, account]));
  const directory: HostedDirectory = {
    primaryAccountId: primary.hosted.accountId,
    accountIds: accounts.map((account) => account.hosted.accountId),
    memberRole: (accountId) => byAccountId.get(accountId)?.hosted.roleName ?? undefined,
    memberExternalId: (accountId) => byAccountId.get(accountId)?.hosted.externalId ?? undefined,
  };
  const sts = createStsApi({ now, hosted: directory });
  const { model, seed, anchorDay, state, writes } = primary;

  /** Builds one account; members default to the primary's anchor day so their histories line up. */
  function startAccount(hosted: HostedAccountScenario, stateFile: string | undefined, defaultAnchorDay?: number): AccountRuntime {
    const accountSeed = seedOf(hosted);
    const accountState = stateFile === undefined ? undefined : openSimState(stateFile, { scenario: hosted.scenario.name, seed: accountSeed });
    const accountAnchorDay = opts.anchorDay ?? accountState?.anchorDay() ?? defaultAnchorDay ?? Math.floor(now() / MS_PER_DAY);
    accountState?.setAnchorDay(accountAnchorDay);
    const accountModel = createSimModel(hosted.scenario, { seed: accountSeed, anchorDay: accountAnchorDay });
    const ctx: SimContext = { model: accountModel, now, faults };
    const accountWrites = createAccountWriter(ctx, accountState);
    accountWrites.replay();
    return {
      hosted,
      seed: accountSeed,
      anchorDay: accountAnchorDay,
      stateFile,
      model: accountModel,
      state: accountState,
      writes: accountWrites,
      services: {
        lambda: createLambdaApi(ctx, accountWrites),
        cloudwatch: createCloudWatchApi(ctx),
        logs: createLogsApi(ctx),
        xray: createXRayApi(ctx),
        ce: createCostExplorerApi(ctx),
      },
    };
  }

  let counts: RequestCounts = { total: 0, services: {} };
  let countsByAccount: Record<string, RequestCounts> = {};
  let requestNumber = 0;
  const server = createServer((req, res) => {
    requestNumber++;
    void serve(req, res, requestNumber);
  });
  // keep-alive sockets from SDK clients must not hold close() open.
  server.keepAliveTimeout = 5_000;

  async function serve(req: IncomingMessage, res: ServerResponse, number: number): Promise<void> {
    // Deterministic per server run: the n-th request gets the n-th id.
    const requestId = `00000000-0000-4000-8000-${number.toString(16).padStart(12, "0")}`;
    let response: SimResponse;
    try {
      const request = await readRequest(req, model.fleet.region);
      if (request === undefined) {
        response = restJsonError(413, "RequestEntityTooLargeException", "Request must be smaller than 20971520 bytes.");
      } else if (request.path.startsWith(ADMIN_PREFIX)) {
        response = isLoopback(req.socket.remoteAddress)
          ? admin(request)
          : restJsonError(403, "AccessDeniedException", "The simulator admin endpoint only answers loopback clients.");
      } else {
        response = await dispatch(request, requestId);
      }
    } catch (error) {
      response = error instanceof BadRequestError
        ? awsJsonError("application/json", 400, "SerializationException", error.message)
        : restJsonError(500, "ServiceException", "The simulator failed to handle the request.");
    }
    const body = Buffer.from(response.body, "utf8");
    res.writeHead(response.status, {
      ...response.headers,
      "content-length": String(body.length),
      "x-amzn-requestid": requestId,
    });
    res.end(body);
  }

  async function dispatch(request: SimRequest, requestId: string): Promise<SimResponse> {
    const routed = routeService(request);
    if (routed === undefined) {
      return restJsonError(404, "UnknownOperationException", `No simulated service for ${request.method} ${request.path}.`);
    }
    const { service, operation } = routed;
    const identified = identifyCaller(request.headers, directory);
    const account = identified.ok ? byAccountId.get(identified.caller.accountId) : undefined;
    count(counts, service, operation);
    if (account !== undefined) count((countsByAccount[account.hosted.accountId] ??= { total: 0, services: {} }), service, operation);
    // AWS authenticates before anything else: an unknown key is refused, never throttled.
    if (!identified.ok || account === undefined) {
      return unrecognizedClientResponse(service, identified.ok ? "The security token included in the request is invalid." : identified.message, requestId);
    }
    for (const fault of faults.onRequest(service, operation)) {
      if (fault.kind === "latency") await delay(fault.addedMs);
      else if (fault.kind === "throttle") return throttleResponse(service, requestId);
      else return serverErrorResponse(service, requestId);
    }
    if (service === "sts") return sts.handle(request, identified.caller, requestId);
    return account.services[service].handle(request);
  }

  function admin(request: SimRequest): SimResponse {
    const path = request.path.slice(ADMIN_PREFIX.length).replace(/\/$/, "");
    // `?by=account` adds the per-account breakdown; the plain shape stays as it was.
    const withAccounts = (shown: RequestCounts, byAccount: Record<string, RequestCounts>) =>
      request.query.get("by") === "account" ? { ...shown, accounts: byAccount } : shown;
    if (path === "requests" && request.method === "GET") return restJsonResponse(200, withAccounts(counts, countsByAccount));
    if (path === "requests" && request.method === "DELETE") {
      const previous = withAccounts(counts, countsByAccount);
      counts = { total: 0, services: {} };
      countsByAccount = {};
      return restJsonResponse(200, previous);
    }
    if (path === "faults" && request.method === "GET") return restJsonResponse(200, { rules: faults.rules() });
    if (path === "faults" && request.method === "DELETE") {
      faults.set([]);
      return restJsonResponse(200, { rules: [] });
    }
    if (path === "faults" && request.method === "PUT") {
      let body: unknown;
      try {
        body = JSON.parse(request.body);
      } catch {
        return restJsonError(400, "ValidationException", "The body must be JSON: {\"rules\": [...]}.");
      }
      const parsed = z.strictObject({ rules: FaultRulesSchema }).safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return restJsonError(400, "ValidationException", `${issue?.path.join(".") || "(body)"}: ${issue?.message ?? "invalid"}`);
      }
      faults.set(parsed.data.rules);
      return restJsonResponse(200, { rules: faults.rules() });
    }
    if (path === "state" && request.method === "GET") {
      return restJsonResponse(200, {
        scenario: opts.scenario.name,
        seed,
        anchorDay,
        accountId: model.fleet.accountId,
        regions: model.fleet.regions,
        functions: model.fleet.functions.length,
        nowMs: now(),
        writes: state?.writes().length ?? writes.count(),
        accounts: accounts.map((account) => ({
          ...describeAccount(account),
          regions: account.model.fleet.regions,
          writes: account.state?.writes().length ?? account.writes.count(),
        })),
      });
    }
    return restJsonError(404, "UnknownOperationException", `Unknown admin route ${request.method} ${request.path}.`);
  }

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
        seed,
        anchorDay,
        accounts: accounts.map(describeAccount),
        requestCounts: () => structuredClone(counts),
        requestCountsByAccount: () => structuredClone(countsByAccount),
        resetRequestCounts: () => {
          counts = { total: 0, services: {} };
          countsByAccount = {};
        },
        faults,
        close: () =>
          new Promise<void>((done, fail) => {
            for (const account of accounts) for (const service of Object.values(account.services)) service.close?.();
            server.close((error) => (error === undefined ? done() : fail(error)));
            server.closeAllConnections();
          }),
      });
    });
  });
}

function describeAccount(account: AccountRuntime): SimulatedAccount {
  return {
    accountId: account.hosted.accountId,
    roleArn: account.hosted.roleArn,
    scenario: account.hosted.scenario.name,
    region: account.model.fleet.region,
    functions: account.model.fleet.functions.length,
    seed: account.seed,
    anchorDay: account.anchorDay,
    stateFile: account.stateFile ?? null,
  };
}

function count(counts: RequestCounts, service: SimServiceName, operation: string): void {
  counts.total++;
  const perService = (counts.services[service] ??= {});
  perService[operation] = (perService[operation] ?? 0) + 1;
}

class BadRequestError extends Error {}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 addresses. */
function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}

/** Reads and (if gzip-encoded) inflates the body; undefined when it is too large. */
async function readRequest(req: IncomingMessage, homeRegion: string): Promise<SimRequest | undefined> {
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
  const region = signingScope(headers.authorization)?.region || homeRegion;
  return { method: req.method ?? "GET", path: url.pathname, query: url.searchParams, headers, body: raw.toString("utf8"), region };
}

/**
 * JSON-RPC services are identified by `x-amz-target`; REST and query services by the SigV4
 * signing name (`.../lambda/aws4_request`, `.../sts/aws4_request`), or failing that by their
 * paths (or, for STS, its form body).
 */
function routeService(request: SimRequest): { service: SimServiceName; operation: string } | undefined {
  const target = request.headers["x-amz-target"];
  if (target !== undefined) {
    const operation = target.slice(target.indexOf(".") + 1);
    if (target.startsWith(CLOUDWATCH_TARGET_PREFIX)) return { service: "cloudwatch", operation };
    if (target.startsWith(LOGS_TARGET_PREFIX)) return { service: "logs", operation };
    if (target.startsWith(COST_EXPLORER_TARGET_PREFIX)) return { service: "ce", operation };
    return undefined;
  }
  const signingName = signingScope(request.headers.authorization)?.service;
  const xrayOperation = XRAY_OPERATIONS[request.path];
  if (signingName === "xray" || (signingName === undefined && xrayOperation !== undefined)) {
    return { service: "xray", operation: xrayOperation ?? `${request.method} ${request.path}` };
  }
  if (signingName === "lambda" || (signingName === undefined && LAMBDA_REST_PATH.test(request.path))) {
    return { service: "lambda", operation: lambdaOperationName(request.method, request.path, request.query) };
  }
  if (signingName === "monitoring") return { service: "cloudwatch", operation: "(no x-amz-target)" };
  // STS (awsQuery) posts a form to `/` — AWS_ENDPOINT_URL sends it here like everything else.
  if (signingName === "sts" || (signingName === undefined && /^Action=/.test(request.body))) {
    return { service: "sts", operation: stsOperationName(request) };
  }
  return undefined;
}

/** Each service's own throttling error, shaped per its protocol. */
function throttleResponse(service: SimServiceName, requestId: string): SimResponse {
  switch (service) {
    case "sts":
      return stsError(400, "Throttling", "Rate exceeded", requestId);
    case "lambda":
      return {
        status: 429,
        headers: { "content-type": "application/json", "x-amzn-errortype": "TooManyRequestsException", "retry-after": "1" },
        body: JSON.stringify({ Reason: "CallerRateLimitExceeded", Type: "User", message: "Rate exceeded" }),
      };
    case "xray":
      return restJsonError(429, "ThrottledException", "Rate exceeded");
    case "cloudwatch":
      return awsJsonError("application/x-amz-json-1.0", 400, "com.amazonaws.cloudwatch#ThrottlingException", "Rate exceeded", "Throttling");
    case "logs":
      return awsJsonError("application/x-amz-json-1.1", 400, "ThrottlingException", "Rate exceeded");
    case "ce":
      return awsJsonError("application/x-amz-json-1.1", 400, "LimitExceededException", "You have exceeded the rate limit.");
  }
}

/** A 5xx as each service sends it (the SDK retries these). */
function serverErrorResponse(service: SimServiceName, requestId: string): SimResponse {
  switch (service) {
    case "sts":
      return stsError(500, "InternalFailure", "An internal error occurred.", requestId);
    case "lambda":
      return restJsonError(500, "ServiceException", "An internal error occurred.");
    case "xray":
      return restJsonError(500, "InternalFailure", "An internal error occurred.");
    case "cloudwatch":
      return awsJsonError("application/x-amz-json-1.0", 500, "com.amazonaws.cloudwatch#InternalServiceFault", "Internal service error.", "InternalServiceError");
    case "logs":
      return awsJsonError("application/x-amz-json-1.1", 503, "ServiceUnavailableException", "The service is unavailable.");
    case "ce":
      return awsJsonError("application/x-amz-json-1.1", 500, "InternalFailure", "An internal error occurred.");
  }
}

/**
 * Credentials the simulator does not accept (a session key of an account it does not host, a
 * missing or foreign session token), refused as each service refuses an unknown key.
 */
function unrecognizedClientResponse(service: SimServiceName, message: string, requestId: string): SimResponse {
  switch (service) {
    case "lambda":
    case "xray":
      return restJsonError(403, "UnrecognizedClientException", message);
    case "cloudwatch":
      return awsJsonError("application/x-amz-json-1.0", 403, "com.amazon.coral.service#UnrecognizedClientException", message, "InvalidClientTokenId");
    case "logs":
    case "ce":
      return awsJsonError("application/x-amz-json-1.1", 400, "UnrecognizedClientException", message);
    case "sts":
      return stsError(403, "InvalidClientTokenId", message, requestId);
  }
}
