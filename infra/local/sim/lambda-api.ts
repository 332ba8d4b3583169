import { createHash } from "node:crypto";
import type { FunctionSpec } from "./model/fleet";
import { restJsonError, restJsonResponse, type SimContext, type SimRequest, type SimResponse } from "./wire";

/**
 * Lambda on the wire (restJson1): the read operations a console needs, with the URIs of
 * @aws-sdk/client-lambda's operation schemas. Responses mirror what Lambda returns for the
 * scenario's functions; errors carry `x-amzn-errortype` so the SDK raises typed exceptions.
 */

const LIST_PAGE_MAX = 50;

/** A 4xx from Lambda. */
class LambdaError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

/** Routes (method + path) of the operations the simulator serves. */
const ROUTES: readonly { method: string; pattern: RegExp; handle: (ctx: SimContext, params: string[], query: URLSearchParams) => SimResponse }[] = [
  { method: "GET", pattern: /^\/2015-03-31\/functions\/?$/, handle: (ctx, _, query) => listFunctions(ctx, query) },
  { method: "GET", pattern: /^\/2015-03-31\/functions\/([^/]+)\/?$/, handle: (ctx, [name], query) => getFunction(ctx, name ?? "", query) },
  { method: "GET", pattern: /^\/2015-03-31\/functions\/([^/]+)\/configuration\/?$/, handle: (ctx, [name], query) => getFunctionConfiguration(ctx, name ?? "", query) },
  { method: "GET", pattern: /^\/2015-03-31\/functions\/([^/]+)\/aliases\/?$/, handle: (ctx, [name], query) => listAliases(ctx, name ?? "", query) },
  { method: "GET", pattern: /^\/2017-03-31\/tags\/([^/]+)\/?$/, handle: (ctx, [arn]) => listTags(ctx, arn ?? "") },
  { method: "GET", pattern: /^\/2019-09-30\/functions\/([^/]+)\/concurrency\/?$/, handle: (ctx, [name]) => getFunctionConcurrency(ctx, name ?? "") },
  { method: "GET", pattern: /^\/2019-09-30\/functions\/([^/]+)\/provisioned-concurrency\/?$/, handle: (ctx, [name], query) => provisionedConcurrency(ctx, name ?? "", query) },
  { method: "GET", pattern: /^\/2016-08-19\/account-settings\/?$/, handle: (ctx) => getAccountSettings(ctx) },
];

/** Handles one Lambda request (already routed here by signing name or path). */
export function handleLambda(ctx: SimContext, request: SimRequest): SimResponse {
  for (const route of ROUTES) {
    const match = route.pattern.exec(request.path);
    if (match === null || route.method !== request.method) continue;
    try {
      const params = match.slice(1).map((segment) => decodeURIComponent(segment));
      return route.handle(ctx, params, request.query);
    } catch (error) {
      if (error instanceof LambdaError) return restJsonError(error.status, error.errorType, error.message);
      if (error instanceof URIError) return restJsonError(400, "InvalidParameterValueException", "Malformed percent-encoding in the request path.");
      throw error;
    }
  }
  return restJsonError(404, "UnknownOperationException", `Unknown operation ${request.method} ${request.path} (not served by the Sightline simulator).`);
}

// ── Name resolution ──────────────────────────────────────────────────────────────────────

interface FunctionRef {
  fn: FunctionSpec;
  /** Alias name or version number, if the caller qualified the function. */
  qualifier: string | undefined;
}

/**
 * Accepts what Lambda accepts as FunctionName: `name`, `name:qualifier`, the partial ARN
 * `account:function:name[:qualifier]` and the full ARN. Missing → ResourceNotFoundException
 * with Lambda's message.
 */
function resolveFunction(ctx: SimContext, identifier: string, explicitQualifier?: string | null): FunctionRef {
  const { fleet } = ctx.model;
  const full = /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9$_-]+))?$/.exec(identifier);
  const partial = /^(\d{12}):function:([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9$_-]+))?$/.exec(identifier);
  const bare = /^([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9$_-]+))?$/.exec(identifier);
  let region = fleet.region;
  let account = fleet.accountId;
  let name: string | undefined;
  let qualifier: string | undefined;
  if (full !== null) [, region = "", account = "", name, qualifier] = full;
  else if (partial !== null) [, account = "", name, qualifier] = partial;
  else if (bare !== null) [, name, qualifier] = bare;
  if (name === undefined) {
    throw new LambdaError(400, "InvalidParameterValueException", `1 validation error detected: Value '${identifier}' at 'functionName' failed to satisfy constraint`);
  }
  if (explicitQualifier !== undefined && explicitQualifier !== null && explicitQualifier !== "") {
    if (qualifier !== undefined && qualifier !== explicitQualifier) {
      throw new LambdaError(400, "InvalidParameterValueException", "The derived qualifier from the function name does not match the specified qualifier.");
    }
    qualifier = explicitQualifier;
  }
  const fn = region === fleet.region && account === fleet.accountId ? fleet.byName.get(name) : undefined;
  const notFoundArn = `arn:aws:lambda:${region}:${account}:function:${name}${qualifier === undefined ? "" : `:${qualifier}`}`;
  if (fn === undefined) throw new LambdaError(404, "ResourceNotFoundException", `Function not found: ${notFoundArn}`);
  if (qualifier !== undefined && qualifier !== "$LATEST" && resolveVersion(fn, qualifier) === undefined) {
    throw new LambdaError(404, "ResourceNotFoundException", `Function not found: ${notFoundArn}`);
  }
  return { fn, qualifier };
}

/** Published version a qualifier names (alias or version number), or undefined. */
function resolveVersion(fn: FunctionSpec, qualifier: string): number | undefined {
  const alias = fn.aliases.find((a) => a.name === qualifier);
  if (alias !== undefined) return alias.functionVersion;
  const version = Number(qualifier);
  return publishedVersions(fn).includes(version) ? version : undefined;
}

/** Versions published for a function: those its aliases point to. */
function publishedVersions(fn: FunctionSpec): number[] {
  return [...new Set(fn.aliases.map((alias) => alias.functionVersion))].sort((a, b) => a - b);
}

// ── Payloads ─────────────────────────────────────────────────────────────────────────────

/** Deterministic pseudo-identifiers derived from the function's identity. */
function digest(...parts: (string | number)[]): Buffer {
  return createHash("sha256").update(parts.join("\u0000")).digest();
}

function revisionId(fn: FunctionSpec, version: string): string {
  const hex = digest("revision", fn.arn, version, fn.lastModified).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** FunctionConfiguration as Lambda returns it, for `$LATEST` or a published version. */
function functionConfiguration(fn: FunctionSpec, version: string | number = "$LATEST", arnSuffix?: string) {
  const versionText = String(version);
  const qualifiedArn = arnSuffix === undefined ? fn.arn : `${fn.arn}:${arnSuffix}`;
  return {
    FunctionName: fn.name,
    FunctionArn: qualifiedArn,
    Runtime: fn.runtime,
    Role: fn.role,
    Handler: fn.handler,
    CodeSize: fn.codeSizeBytes,
    Description: fn.description,
    Timeout: fn.timeoutSeconds,
    MemorySize: fn.memoryMb,
    LastModified: fn.lastModified,
    CodeSha256: digest("code", fn.arn, fn.runtime, fn.lastModified).toString("base64"),
    Version: versionText,
    TracingConfig: { Mode: fn.tracingMode },
    RevisionId: revisionId(fn, versionText),
    State: "Active",
    LastUpdateStatus: "Successful",
    PackageType: "Zip",
    Architectures: [fn.architecture],
    EphemeralStorage: { Size: fn.ephemeralStorageMb },
    SnapStart: { ApplyOn: "None", OptimizationStatus: "Off" },
    LoggingConfig: { LogFormat: "Text", LogGroup: `/aws/lambda/${fn.name}` },
  };
}

/** Configuration for a resolved (possibly qualified) function reference. */
function configurationFor(ref: FunctionRef) {
  const { fn, qualifier } = ref;
  if (qualifier === undefined || qualifier === "$LATEST") return functionConfiguration(fn, "$LATEST", qualifier);
  return functionConfiguration(fn, resolveVersion(fn, qualifier) ?? "$LATEST", qualifier);
}

// ── Pagination ───────────────────────────────────────────────────────────────────────────

/** Page size from `MaxItems` (Lambda caps list pages at 50). */
function pageSize(query: URLSearchParams): number {
  const raw = query.get("MaxItems");
  if (raw === null || raw === "") return LIST_PAGE_MAX;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 10_000) {
    throw new LambdaError(400, "InvalidParameterValueException", `1 validation error detected: Value '${raw}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 10000`);
  }
  return Math.min(value, LIST_PAGE_MAX);
}

/** Opaque marker for list pages: the position of the next item in the listing. */
function encodeMarker(listing: string, offset: number): string {
  return Buffer.from(`${listing}:${offset}`).toString("base64url");
}

function decodeMarker(listing: string, marker: string | null): number {
  if (marker === null || marker === "") return 0;
  const match = /^([a-z-]+):(\d+)$/.exec(Buffer.from(marker, "base64url").toString("utf8"));
  if (match === null || match[1] !== listing) throw new LambdaError(400, "InvalidParameterValueException", "Invalid marker.");
  return Number(match[2]);
}

function paginate<T>(items: readonly T[], listing: string, query: URLSearchParams): { page: T[]; nextMarker: string | undefined } {
  const offset = decodeMarker(listing, query.get("Marker"));
  const end = offset + pageSize(query);
  return { page: items.slice(offset, end), nextMarker: end < items.length ? encodeMarker(listing, end) : undefined };
}

// ── Operations ───────────────────────────────────────────────────────────────────────────

/** ListFunctions: functions by name; with FunctionVersion=ALL also each published version. */
function listFunctions(ctx: SimContext, query: URLSearchParams): SimResponse {
  const functionVersion = query.get("FunctionVersion");
  if (functionVersion !== null && functionVersion !== "ALL") {
    throw new LambdaError(400, "InvalidParameterValueException", "FunctionVersion must be ALL.");
  }
  const sorted = [...ctx.model.fleet.functions].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const configurations = sorted.flatMap((fn) => [
    functionConfiguration(fn),
    ...(functionVersion === "ALL" ? publishedVersions(fn).map((version) => functionConfiguration(fn, version, String(version))) : []),
  ]);
  const { page, nextMarker } = paginate(configurations, functionVersion === "ALL" ? "all" : "latest", query);
  return restJsonResponse(200, { Functions: page, ...(nextMarker === undefined ? {} : { NextMarker: nextMarker }) });
}

function getFunctionConfiguration(ctx: SimContext, name: string, query: URLSearchParams): SimResponse {
  return restJsonResponse(200, configurationFor(resolveFunction(ctx, name, query.get("Qualifier"))));
}

/** GetFunction: configuration, code location, tags and reserved concurrency. */
function getFunction(ctx: SimContext, name: string, query: URLSearchParams): SimResponse {
  const ref = resolveFunction(ctx, name, query.get("Qualifier"));
  const { fn } = ref;
  return restJsonResponse(200, {
    Configuration: configurationFor(ref),
    Code: {
      RepositoryType: "S3",
      Location: `https://awslambda-${ctx.model.fleet.region}-tasks.s3.${ctx.model.fleet.region}.amazonaws.com/snapshots/${ctx.model.fleet.accountId}/${fn.name}`,
    },
    ...(fn.tags === undefined ? {} : { Tags: fn.tags }),
    ...(fn.reservedConcurrency === undefined ? {} : { Concurrency: { ReservedConcurrentExecutions: fn.reservedConcurrency } }),
  });
}

function listAliases(ctx: SimContext, name: string, query: URLSearchParams): SimResponse {
  const { fn } = resolveFunction(ctx, name);
  const aliases = fn.aliases.map((alias) => ({
    AliasArn: `${fn.arn}:${alias.name}`,
    Name: alias.name,
    FunctionVersion: String(alias.functionVersion),
    Description: "",
    RevisionId: revisionId(fn, `alias:${alias.name}`),
  }));
  const { page, nextMarker } = paginate(aliases, "aliases", query);
  return restJsonResponse(200, { Aliases: page, ...(nextMarker === undefined ? {} : { NextMarker: nextMarker }) });
}

/** ListTags takes the function ARN (tags belong to the function, not to a version). */
function listTags(ctx: SimContext, arn: string): SimResponse {
  if (!arn.startsWith("arn:")) {
    throw new LambdaError(400, "InvalidParameterValueException", `1 validation error detected: Value '${arn}' at 'resource' failed to satisfy constraint: Member must be an ARN`);
  }
  const { fn } = resolveFunction(ctx, arn);
  return restJsonResponse(200, { Tags: fn.tags ?? {} });
}

function getFunctionConcurrency(ctx: SimContext, name: string): SimResponse {
  const { fn } = resolveFunction(ctx, name);
  return restJsonResponse(200, fn.reservedConcurrency === undefined ? {} : { ReservedConcurrentExecutions: fn.reservedConcurrency });
}

/** Provisioned concurrency is READY from the scenario's deployment time (no warm-up modelled yet). */
function provisionedConcurrencyItem(fn: FunctionSpec, pc: FunctionSpec["provisionedConcurrency"][number]) {
  return {
    RequestedProvisionedConcurrentExecutions: pc.requestedExecutions,
    AvailableProvisionedConcurrentExecutions: pc.requestedExecutions,
    AllocatedProvisionedConcurrentExecutions: pc.requestedExecutions,
    Status: "READY",
    // Lambda formats this timestamp without milliseconds.
    LastModified: fn.lastModified.replace(/\.\d{3}\+0000$/, "+0000"),
  };
}

/**
 * One URI, two operations: `?List=ALL` is ListProvisionedConcurrencyConfigs, `?Qualifier=` is
 * GetProvisionedConcurrencyConfig (both GET in the SDK's schemas).
 */
function provisionedConcurrency(ctx: SimContext, name: string, query: URLSearchParams): SimResponse {
  const { fn } = resolveFunction(ctx, name);
  if (query.get("List") === "ALL") {
    const configs = fn.provisionedConcurrency.map((pc) => ({ FunctionArn: `${fn.arn}:${pc.qualifier}`, ...provisionedConcurrencyItem(fn, pc) }));
    const { page, nextMarker } = paginate(configs, "provisioned", query);
    return restJsonResponse(200, { ProvisionedConcurrencyConfigs: page, ...(nextMarker === undefined ? {} : { NextMarker: nextMarker }) });
  }
  const qualifier = query.get("Qualifier");
  if (qualifier === null || qualifier === "") {
    throw new LambdaError(400, "InvalidParameterValueException", "The Qualifier parameter is required.");
  }
  resolveFunction(ctx, name, qualifier);
  const pc = fn.provisionedConcurrency.find((config) => config.qualifier === qualifier);
  if (pc === undefined) {
    throw new LambdaError(404, "ProvisionedConcurrencyConfigNotFoundException", `No Provisioned Concurrency Config found for this function: ${fn.arn}:${qualifier}`);
  }
  return restJsonResponse(200, provisionedConcurrencyItem(fn, pc));
}

/** GetAccountSettings: regional limits and what the scenario's functions use of them. */
function getAccountSettings(ctx: SimContext): SimResponse {
  const { fleet } = ctx.model;
  const totalCodeSize = fleet.functions.reduce((sum, fn) => sum + fn.codeSizeBytes * (1 + publishedVersions(fn).length), 0);
  return restJsonResponse(200, {
    AccountLimit: {
      TotalCodeSize: 80_530_636_800,
      CodeSizeUnzipped: 262_144_000,
      CodeSizeZipped: 52_428_800,
      ConcurrentExecutions: fleet.concurrentExecutionsLimit,
      UnreservedConcurrentExecutions: fleet.unreservedConcurrencyLimit,
    },
    AccountUsage: { TotalCodeSize: totalCodeSize, FunctionCount: fleet.functions.length },
  });
}
