import { createHash } from "node:crypto";
import { z } from "zod";
import { revisionAt, type ConfigRevision, type FunctionSpec, type ProvisionedConfig } from "./model/fleet";
import { toEpochMinute } from "./model/time";
import { UPDATE_IN_PROGRESS_MS, type AccountWriter } from "./sim-state";
import { restJsonError, restJsonResponse, type SimContext, type SimRequest, type SimResponse, type SimService } from "./wire";

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

type Handler = (ctx: SimContext, writer: AccountWriter, params: string[], request: SimRequest) => SimResponse;

/** Routes (method + path) of the operations the simulator serves, with the SDK's operation names. */
const ROUTES: readonly { method: string; pattern: RegExp; operation: string; listOperation?: string; handle: Handler }[] = [
  { method: "GET", pattern: /^\/2015-03-31\/functions\/?$/, operation: "ListFunctions", handle: (ctx, _, __, r) => listFunctions(ctx, r) },
  { method: "GET", pattern: /^\/2015-03-31\/functions\/([^/]+)\/?$/, operation: "GetFunction", handle: (ctx, w, [name], r) => getFunction(ctx, w, name ?? "", r) },
  { method: "GET", pattern: /^\/2015-03-31\/functions\/([^/]+)\/configuration\/?$/, operation: "GetFunctionConfiguration", handle: (ctx, w, [name], r) => getFunctionConfiguration(ctx, w, name ?? "", r) },
  { method: "PUT", pattern: /^\/2015-03-31\/functions\/([^/]+)\/configuration\/?$/, operation: "UpdateFunctionConfiguration", handle: (ctx, w, [name], r) => updateFunctionConfiguration(ctx, w, name ?? "", r) },
  { method: "PUT", pattern: /^\/2015-03-31\/functions\/([^/]+)\/code\/?$/, operation: "UpdateFunctionCode", handle: (ctx, w, [name], r) => updateFunctionCode(ctx, w, name ?? "", r) },
  { method: "GET", pattern: /^\/2015-03-31\/functions\/([^/]+)\/aliases\/?$/, operation: "ListAliases", handle: (ctx, _, [name], r) => listAliases(ctx, name ?? "", r) },
  { method: "GET", pattern: /^\/2015-03-31\/functions\/([^/]+)\/versions\/?$/, operation: "ListVersionsByFunction", handle: (ctx, w, [name], r) => listVersionsByFunction(ctx, w, name ?? "", r) },
  { method: "GET", pattern: /^\/2017-03-31\/tags\/([^/]+)\/?$/, operation: "ListTags", handle: (ctx, _, [arn], r) => listTags(ctx, arn ?? "", r) },
  { method: "GET", pattern: /^\/2019-09-30\/functions\/([^/]+)\/concurrency\/?$/, operation: "GetFunctionConcurrency", handle: (ctx, _, [name], r) => getFunctionConcurrency(ctx, name ?? "", r) },
  { method: "PUT", pattern: /^\/2017-10-31\/functions\/([^/]+)\/concurrency\/?$/, operation: "PutFunctionConcurrency", handle: (ctx, w, [name], r) => putFunctionConcurrency(ctx, w, name ?? "", r) },
  { method: "DELETE", pattern: /^\/2017-10-31\/functions\/([^/]+)\/concurrency\/?$/, operation: "DeleteFunctionConcurrency", handle: (ctx, w, [name], r) => deleteFunctionConcurrency(ctx, w, name ?? "", r) },
  {
    method: "GET",
    pattern: /^\/2019-09-30\/functions\/([^/]+)\/provisioned-concurrency\/?$/,
    operation: "GetProvisionedConcurrencyConfig",
    listOperation: "ListProvisionedConcurrencyConfigs",
    handle: (ctx, _, [name], r) => provisionedConcurrency(ctx, name ?? "", r),
  },
  { method: "PUT", pattern: /^\/2019-09-30\/functions\/([^/]+)\/provisioned-concurrency\/?$/, operation: "PutProvisionedConcurrencyConfig", handle: (ctx, w, [name], r) => putProvisionedConcurrency(ctx, w, name ?? "", r) },
  { method: "DELETE", pattern: /^\/2019-09-30\/functions\/([^/]+)\/provisioned-concurrency\/?$/, operation: "DeleteProvisionedConcurrencyConfig", handle: (ctx, w, [name], r) => deleteProvisionedConcurrency(ctx, w, name ?? "", r) },
  { method: "GET", pattern: /^\/2016-08-19\/account-settings\/?$/, operation: "GetAccountSettings", handle: (ctx, _, __, r) => getAccountSettings(ctx, r) },
];

/** The SDK operation a Lambda request is (for request counts and fault rules). */
export function lambdaOperationName(method: string, path: string, query: URLSearchParams): string {
  const route = ROUTES.find((r) => r.method === method && r.pattern.test(path));
  if (route === undefined) return `${method} ${path}`;
  return route.listOperation !== undefined && query.get("List") === "ALL" ? route.listOperation : route.operation;
}

/** Lambda as one service of the simulator; writes go through `writer` (model + state file). */
export function createLambdaApi(ctx: SimContext, writer: AccountWriter): SimService {
  return { handle: (request) => handleLambda(ctx, writer, request) };
}

/** Handles one Lambda request (already routed here by signing name or path). */
export function handleLambda(ctx: SimContext, writer: AccountWriter, request: SimRequest): SimResponse {
  for (const route of ROUTES) {
    const match = route.pattern.exec(request.path);
    if (match === null || route.method !== request.method) continue;
    try {
      const params = match.slice(1).map((segment) => decodeURIComponent(segment));
      return route.handle(ctx, writer, params, request);
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
 * `account:function:name[:qualifier]` and the full ARN. Functions live in one region: a bare
 * name is looked up in the region the request was signed for. Missing → ResourceNotFoundException
 * with Lambda's message.
 */
function resolveFunction(ctx: SimContext, request: SimRequest, identifier: string, explicitQualifier?: string | null): FunctionRef {
  const { fleet } = ctx.model;
  const full = /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9$_-]+))?$/.exec(identifier);
  const partial = /^(\d{12}):function:([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9$_-]+))?$/.exec(identifier);
  const bare = /^([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9$_-]+))?$/.exec(identifier);
  let region = request.region;
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
  const candidate = account === fleet.accountId ? fleet.byName.get(name) : undefined;
  const fn = candidate?.region === region ? candidate : undefined;
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

/** The configuration in force now (writes take effect from the minute they are made). */
function currentRevision(ctx: SimContext, fn: FunctionSpec): ConfigRevision {
  return revisionAt(fn, toEpochMinute(ctx.now()));
}

// ── Payloads ─────────────────────────────────────────────────────────────────────────────

/** Deterministic pseudo-identifiers derived from the function's identity. */
function digest(...parts: (string | number)[]): Buffer {
  return createHash("sha256").update(parts.join("\u0000")).digest();
}

function uuidFrom(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function revisionId(fn: FunctionSpec, version: string, revision: ConfigRevision): string {
  return uuidFrom(
    digest("revision", fn.arn, version, revision.lastModified, revision.memoryMb, revision.architecture, revision.timeoutSeconds, revision.codeRevision).toString("hex"),
  );
}

/**
 * FunctionConfiguration as Lambda returns it. The simulator models one deployed
 * configuration per function: published versions report the configuration in force too.
 */
function functionConfiguration(
  ctx: SimContext,
  writer: AccountWriter,
  fn: FunctionSpec,
  version: string | number = "$LATEST",
  arnSuffix?: string,
) {
  const revision = currentRevision(ctx, fn);
  const versionText = String(version);
  const qualifiedArn = arnSuffix === undefined ? fn.arn : `${fn.arn}:${arnSuffix}`;
  const lastUpdate = writer.lastUpdateAtMs(fn.name);
  const updating = lastUpdate !== undefined && ctx.now() < lastUpdate + UPDATE_IN_PROGRESS_MS;
  return {
    FunctionName: fn.name,
    FunctionArn: qualifiedArn,
    Runtime: fn.runtime,
    Role: fn.role,
    Handler: fn.handler,
    CodeSize: fn.codeSizeBytes,
    Description: fn.description,
    Timeout: revision.timeoutSeconds,
    MemorySize: revision.memoryMb,
    LastModified: revision.lastModified,
    CodeSha256: digest("code", fn.arn, fn.runtime, revision.codeRevision, revision.architecture).toString("base64"),
    Version: versionText,
    TracingConfig: { Mode: fn.tracingMode },
    RevisionId: revisionId(fn, versionText, revision),
    State: "Active",
    LastUpdateStatus: updating ? "InProgress" : "Successful",
    ...(updating ? { LastUpdateStatusReason: "The function is being updated.", LastUpdateStatusReasonCode: "Creating" } : {}),
    PackageType: "Zip",
    Architectures: [revision.architecture],
    EphemeralStorage: { Size: fn.ephemeralStorageMb },
    SnapStart: { ApplyOn: "None", OptimizationStatus: "Off" },
    LoggingConfig: { LogFormat: "Text", LogGroup: fn.logGroupName },
  };
}

/** Configuration for a resolved (possibly qualified) function reference. */
function configurationFor(ctx: SimContext, writer: AccountWriter, ref: FunctionRef) {
  const { fn, qualifier } = ref;
  if (qualifier === undefined || qualifier === "$LATEST") return functionConfiguration(ctx, writer, fn, "$LATEST", qualifier);
  return functionConfiguration(ctx, writer, fn, resolveVersion(fn, qualifier) ?? "$LATEST", qualifier);
}

// ── Pagination ───────────────────────────────────────────────────────────────────────────

/** Page size from `MaxItems` (Lambda caps list pages at 50; a truncated-pages fault caps it further). */
function pageSize(ctx: SimContext, query: URLSearchParams): number {
  const raw = query.get("MaxItems");
  const limit = Math.min(LIST_PAGE_MAX, ctx.faults.pageLimit("lambda") ?? LIST_PAGE_MAX);
  if (raw === null || raw === "") return limit;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 10_000) {
    throw new LambdaError(400, "InvalidParameterValueException", `1 validation error detected: Value '${raw}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 10000`);
  }
  return Math.min(value, limit);
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

function paginate<T>(ctx: SimContext, items: readonly T[], listing: string, query: URLSearchParams): { page: T[]; nextMarker: string | undefined } {
  const offset = decodeMarker(listing, query.get("Marker"));
  const end = offset + pageSize(ctx, query);
  return { page: items.slice(offset, end), nextMarker: end < items.length ? encodeMarker(listing, end) : undefined };
}

// ── Request bodies ───────────────────────────────────────────────────────────────────────

/** Parses a JSON body with `schema`; problems become Lambda's validation errors naming the field. */
function parseBody<T>(request: SimRequest, schema: z.ZodType<T>): T {
  let body: unknown;
  try {
    body = request.body === "" ? {} : JSON.parse(request.body);
  } catch {
    throw new LambdaError(400, "InvalidRequestContentException", "Could not parse request body into json.");
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new LambdaError(400, "InvalidParameterValueException", `1 validation error detected: Value at '${issue?.path.join(".") ?? ""}' failed to satisfy constraint: ${issue?.message ?? "invalid"}`);
}

function validation(field: string, value: unknown, constraint: string): LambdaError {
  return new LambdaError(400, "InvalidParameterValueException", `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: ${constraint}`);
}

/** An update is refused while the previous one is still in progress (as Lambda does). */
function assertNotUpdating(ctx: SimContext, writer: AccountWriter, fn: FunctionSpec): void {
  const last = writer.lastUpdateAtMs(fn.name);
  if (last !== undefined && ctx.now() < last + UPDATE_IN_PROGRESS_MS) {
    throw new LambdaError(409, "ResourceConflictException", `The operation cannot be performed at this time. An update is in progress for resource: ${fn.arn}`);
  }
}

function assertRevision(ctx: SimContext, fn: FunctionSpec, revisionIdGiven: string | undefined): void {
  if (revisionIdGiven === undefined) return;
  if (revisionIdGiven !== revisionId(fn, "$LATEST", currentRevision(ctx, fn))) {
    throw new LambdaError(412, "PreconditionFailedException", "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id");
  }
}

/** Reserved concurrency of all other functions in the region, to keep 100 unreserved. */
function reservedElsewhere(ctx: SimContext, fn: FunctionSpec): number {
  let total = 0;
  for (const other of ctx.model.fleet.functions) {
    if (other === fn || other.region !== fn.region) continue;
    total += currentRevision(ctx, other).reservedConcurrency ?? 0;
  }
  return total;
}

// ── Operations ───────────────────────────────────────────────────────────────────────────

/** ListFunctions: functions of the request's region by name; with FunctionVersion=ALL also each published version. */
function listFunctions(ctx: SimContext, request: SimRequest): SimResponse {
  const { query } = request;
  const functionVersion = query.get("FunctionVersion");
  if (functionVersion !== null && functionVersion !== "ALL") {
    throw new LambdaError(400, "InvalidParameterValueException", "FunctionVersion must be ALL.");
  }
  const sorted = ctx.model.fleet.functions
    .filter((fn) => fn.region === request.region)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const writer = readOnlyWriter;
  const configurations = sorted.flatMap((fn) => [
    functionConfiguration(ctx, writer, fn),
    ...(functionVersion === "ALL" ? publishedVersions(fn).map((version) => functionConfiguration(ctx, writer, fn, version, String(version))) : []),
  ]);
  const { page, nextMarker } = paginate(ctx, configurations, functionVersion === "ALL" ? "all" : "latest", query);
  return restJsonResponse(200, { Functions: page, ...(nextMarker === undefined ? {} : { NextMarker: nextMarker }) });
}

/** Listing does not report in-progress updates (it shows the last successful configuration). */
const readOnlyWriter: AccountWriter = { apply: () => undefined, replay: () => undefined, count: () => 0, lastUpdateAtMs: () => undefined };

function getFunctionConfiguration(ctx: SimContext, writer: AccountWriter, name: string, request: SimRequest): SimResponse {
  return restJsonResponse(200, configurationFor(ctx, writer, resolveFunction(ctx, request, name, request.query.get("Qualifier"))));
}

/** GetFunction: configuration, code location, tags and reserved concurrency. */
function getFunction(ctx: SimContext, writer: AccountWriter, name: string, request: SimRequest): SimResponse {
  const ref = resolveFunction(ctx, request, name, request.query.get("Qualifier"));
  const { fn } = ref;
  const reserved = currentRevision(ctx, fn).reservedConcurrency;
  return restJsonResponse(200, {
    Configuration: configurationFor(ctx, writer, ref),
    Code: {
      RepositoryType: "S3",
      Location: `https://awslambda-${fn.region}-tasks.s3.${fn.region}.amazonaws.com/snapshots/${ctx.model.fleet.accountId}/${fn.name}`,
    },
    ...(fn.tags === undefined ? {} : { Tags: fn.tags }),
    ...(reserved === undefined ? {} : { Concurrency: { ReservedConcurrentExecutions: reserved } }),
  });
}

const UpdateConfigurationSchema = z.looseObject({
  MemorySize: z.number().optional(),
  Timeout: z.number().optional(),
  RevisionId: z.string().optional(),
});

/**
 * UpdateFunctionConfiguration: MemorySize and Timeout change the model from now on (other
 * settings are accepted and not modelled). LastUpdateStatus is InProgress for a few seconds.
 */
function updateFunctionConfiguration(ctx: SimContext, writer: AccountWriter, name: string, request: SimRequest): SimResponse {
  const { fn, qualifier } = resolveFunction(ctx, request, name);
  if (qualifier !== undefined) throw new LambdaError(400, "InvalidParameterValueException", "Configuration can only be updated on the unqualified function ($LATEST).");
  const body = parseBody(request, UpdateConfigurationSchema);
  if (body.MemorySize !== undefined && (!Number.isInteger(body.MemorySize) || body.MemorySize < 128 || body.MemorySize > 10_240)) {
    throw validation("memorySize", body.MemorySize, "Member must have value less than or equal to 10240 and greater than or equal to 128");
  }
  if (body.Timeout !== undefined && (!Number.isInteger(body.Timeout) || body.Timeout < 1 || body.Timeout > 900)) {
    throw validation("timeout", body.Timeout, "Member must have value less than or equal to 900 and greater than or equal to 1");
  }
  assertNotUpdating(ctx, writer, fn);
  assertRevision(ctx, fn, body.RevisionId);
  writer.apply({ kind: "update-configuration", function: fn.name, atMs: ctx.now(), memoryMb: body.MemorySize, timeoutSeconds: body.Timeout });
  return restJsonResponse(200, functionConfiguration(ctx, writer, fn));
}

const UpdateCodeSchema = z.looseObject({
  ZipFile: z.string().optional(),
  S3Bucket: z.string().optional(),
  S3Key: z.string().optional(),
  ImageUri: z.string().optional(),
  Architectures: z.array(z.string()).optional(),
  DryRun: z.boolean().optional(),
  RevisionId: z.string().optional(),
});

/**
 * UpdateFunctionCode: the way to change a function's architecture (Architectures goes with
 * the code). A code source is required, as on AWS; the code itself is not inspected.
 */
function updateFunctionCode(ctx: SimContext, writer: AccountWriter, name: string, request: SimRequest): SimResponse {
  const { fn, qualifier } = resolveFunction(ctx, request, name);
  if (qualifier !== undefined) throw new LambdaError(400, "InvalidParameterValueException", "Code can only be updated on the unqualified function ($LATEST).");
  const body = parseBody(request, UpdateCodeSchema);
  const hasZip = body.ZipFile !== undefined;
  const hasS3 = body.S3Bucket !== undefined && body.S3Key !== undefined;
  if (!hasZip && !hasS3 && body.ImageUri === undefined) {
    throw new LambdaError(400, "InvalidParameterValueException", "Please provide a source for function code.");
  }
  if (body.ImageUri !== undefined) {
    throw new LambdaError(400, "InvalidParameterValueException", "Please don't provide ImageUri when updating a function with packageType Zip.");
  }
  const architectures = body.Architectures;
  if (architectures !== undefined && (architectures.length !== 1 || (architectures[0] !== "x86_64" && architectures[0] !== "arm64"))) {
    throw validation("architectures", architectures.join(","), "Member must have length 1 and satisfy enum value set: [x86_64, arm64]");
  }
  assertNotUpdating(ctx, writer, fn);
  assertRevision(ctx, fn, body.RevisionId);
  if (body.DryRun === true) return restJsonResponse(200, functionConfiguration(ctx, writer, fn));
  writer.apply({ kind: "update-code", function: fn.name, atMs: ctx.now(), architecture: architectures?.[0] as "x86_64" | "arm64" | undefined });
  return restJsonResponse(200, functionConfiguration(ctx, writer, fn));
}

function listAliases(ctx: SimContext, name: string, request: SimRequest): SimResponse {
  const { fn } = resolveFunction(ctx, request, name);
  const revision = currentRevision(ctx, fn);
  const aliases = fn.aliases.map((alias) => ({
    AliasArn: `${fn.arn}:${alias.name}`,
    Name: alias.name,
    FunctionVersion: String(alias.functionVersion),
    Description: "",
    RevisionId: revisionId(fn, `alias:${alias.name}`, revision),
  }));
  const { page, nextMarker } = paginate(ctx, aliases, "aliases", request.query);
  return restJsonResponse(200, { Aliases: page, ...(nextMarker === undefined ? {} : { NextMarker: nextMarker }) });
}

/** ListVersionsByFunction: $LATEST, then each published version. */
function listVersionsByFunction(ctx: SimContext, writer: AccountWriter, name: string, request: SimRequest): SimResponse {
  const { fn } = resolveFunction(ctx, request, name);
  const versions = [
    functionConfiguration(ctx, writer, fn),
    ...publishedVersions(fn).map((version) => functionConfiguration(ctx, writer, fn, version, String(version))),
  ];
  const { page, nextMarker } = paginate(ctx, versions, "versions", request.query);
  return restJsonResponse(200, { Versions: page, ...(nextMarker === undefined ? {} : { NextMarker: nextMarker }) });
}

/** ListTags takes the function ARN (tags belong to the function, not to a version). */
function listTags(ctx: SimContext, arn: string, request: SimRequest): SimResponse {
  if (!arn.startsWith("arn:")) {
    throw new LambdaError(400, "InvalidParameterValueException", `1 validation error detected: Value '${arn}' at 'resource' failed to satisfy constraint: Member must be an ARN`);
  }
  const { fn } = resolveFunction(ctx, request, arn);
  return restJsonResponse(200, { Tags: fn.tags ?? {} });
}

function getFunctionConcurrency(ctx: SimContext, name: string, request: SimRequest): SimResponse {
  const { fn } = resolveFunction(ctx, request, name);
  const reserved = currentRevision(ctx, fn).reservedConcurrency;
  return restJsonResponse(200, reserved === undefined ? {} : { ReservedConcurrentExecutions: reserved });
}

const PutConcurrencySchema = z.object({ ReservedConcurrentExecutions: z.number({ error: "Member must not be null" }) });

/** PutFunctionConcurrency: reserved concurrency, keeping 100 unreserved and covering provisioned concurrency. */
function putFunctionConcurrency(ctx: SimContext, writer: AccountWriter, name: string, request: SimRequest): SimResponse {
  const { fn, qualifier } = resolveFunction(ctx, request, name);
  if (qualifier !== undefined) throw new LambdaError(400, "InvalidParameterValueException", "Reserved concurrency applies to the unqualified function.");
  const { ReservedConcurrentExecutions: reserved } = parseBody(request, PutConcurrencySchema);
  if (!Number.isInteger(reserved) || reserved < 0) {
    throw validation("reservedConcurrentExecutions", reserved, "Member must have value greater than or equal to 0");
  }
  const limit = ctx.model.fleet.concurrentExecutionsLimit;
  const unreservedAfter = limit - reservedElsewhere(ctx, fn) - reserved;
  if (unreservedAfter < 100) {
    throw new LambdaError(400, "InvalidParameterValueException", `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].`);
  }
  const provisioned = currentRevision(ctx, fn).provisioned.reduce((sum, pc) => sum + pc.requestedExecutions, 0);
  if (reserved < provisioned) {
    throw new LambdaError(400, "InvalidParameterValueException", `Specified ReservedConcurrentExecutions (${reserved}) is less than the function's provisioned concurrency (${provisioned}).`);
  }
  writer.apply({ kind: "put-function-concurrency", function: fn.name, atMs: ctx.now(), reservedConcurrentExecutions: reserved });
  return restJsonResponse(200, { ReservedConcurrentExecutions: reserved });
}

function deleteFunctionConcurrency(ctx: SimContext, writer: AccountWriter, name: string, request: SimRequest): SimResponse {
  const { fn } = resolveFunction(ctx, request, name);
  writer.apply({ kind: "delete-function-concurrency", function: fn.name, atMs: ctx.now() });
  return { status: 204, headers: {}, body: "" };
}

/** Lambda formats this timestamp without milliseconds. */
function secondsTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, "+0000");
}

/** A provisioned concurrency config as Lambda reports it now: IN_PROGRESS until allocated, then READY. */
function provisionedConcurrencyItem(ctx: SimContext, fn: FunctionSpec, pc: ProvisionedConfig) {
  const nowMinute = toEpochMinute(ctx.now());
  const ready = pc.readyMinute <= nowMinute;
  const allocated = ready ? pc.requestedExecutions : pc.servingBeforeReady;
  const lastModified = pc.requestedAtMs === undefined
    ? currentRevision(ctx, fn).lastModified.replace(/\.\d{3}\+0000$/, "+0000")
    : secondsTimestamp(pc.requestedAtMs);
  return {
    RequestedProvisionedConcurrentExecutions: pc.requestedExecutions,
    AvailableProvisionedConcurrentExecutions: allocated,
    AllocatedProvisionedConcurrentExecutions: allocated,
    Status: ready ? "READY" : "IN_PROGRESS",
    LastModified: lastModified,
  };
}

/**
 * One URI, two operations: `?List=ALL` is ListProvisionedConcurrencyConfigs, `?Qualifier=` is
 * GetProvisionedConcurrencyConfig (both GET in the SDK's schemas).
 */
function provisionedConcurrency(ctx: SimContext, name: string, request: SimRequest): SimResponse {
  const { query } = request;
  const { fn } = resolveFunction(ctx, request, name);
  const configs = currentRevision(ctx, fn).provisioned;
  if (query.get("List") === "ALL") {
    const items = configs.map((pc) => ({ FunctionArn: `${fn.arn}:${pc.qualifier}`, ...provisionedConcurrencyItem(ctx, fn, pc) }));
    const { page, nextMarker } = paginate(ctx, items, "provisioned", query);
    return restJsonResponse(200, { ProvisionedConcurrencyConfigs: page, ...(nextMarker === undefined ? {} : { NextMarker: nextMarker }) });
  }
  const qualifier = requireQualifier(query);
  resolveFunction(ctx, request, name, qualifier);
  const pc = configs.find((config) => config.qualifier === qualifier);
  if (pc === undefined) {
    throw new LambdaError(404, "ProvisionedConcurrencyConfigNotFoundException", `No Provisioned Concurrency Config found for this function: ${fn.arn}:${qualifier}`);
  }
  return restJsonResponse(200, provisionedConcurrencyItem(ctx, fn, pc));
}

function requireQualifier(query: URLSearchParams): string {
  const qualifier = query.get("Qualifier");
  if (qualifier === null || qualifier === "") throw new LambdaError(400, "InvalidParameterValueException", "The Qualifier parameter is required.");
  return qualifier;
}

const PutProvisionedSchema = z.object({ ProvisionedConcurrentExecutions: z.number({ error: "Member must not be null" }) });

/**
 * PutProvisionedConcurrencyConfig on an alias or version ($LATEST is refused, as on AWS). It is
 * billed from now and serves invocations once allocated (IN_PROGRESS → READY).
 */
function putProvisionedConcurrency(ctx: SimContext, writer: AccountWriter, name: string, request: SimRequest): SimResponse {
  const qualifier = requireQualifier(request.query);
  if (qualifier === "$LATEST") {
    throw new LambdaError(400, "InvalidParameterValueException", "Provisioned Concurrency Configs cannot be applied to unpublished function versions.");
  }
  const { fn } = resolveFunction(ctx, request, name, qualifier);
  const { ProvisionedConcurrentExecutions: executions } = parseBody(request, PutProvisionedSchema);
  if (!Number.isInteger(executions) || executions < 1) {
    throw validation("provisionedConcurrentExecutions", executions, "Member must have value greater than or equal to 1");
  }
  const revision = currentRevision(ctx, fn);
  const otherProvisioned = revision.provisioned.filter((pc) => pc.qualifier !== qualifier).reduce((sum, pc) => sum + pc.requestedExecutions, 0);
  const ceiling = revision.reservedConcurrency ?? ctx.model.fleet.concurrentExecutionsLimit - reservedElsewhere(ctx, fn) - 100;
  if (otherProvisioned + executions > ceiling) {
    throw new LambdaError(400, "InvalidParameterValueException", `Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function (${ceiling}).`);
  }
  writer.apply({ kind: "put-provisioned-concurrency", function: fn.name, atMs: ctx.now(), qualifier, executions });
  const pc = currentRevision(ctx, fn).provisioned.find((config) => config.qualifier === qualifier);
  return restJsonResponse(202, pc === undefined ? {} : provisionedConcurrencyItem(ctx, fn, pc));
}

function deleteProvisionedConcurrency(ctx: SimContext, writer: AccountWriter, name: string, request: SimRequest): SimResponse {
  const qualifier = requireQualifier(request.query);
  const { fn } = resolveFunction(ctx, request, name, qualifier);
  if (!currentRevision(ctx, fn).provisioned.some((pc) => pc.qualifier === qualifier)) {
    throw new LambdaError(404, "ProvisionedConcurrencyConfigNotFoundException", `No Provisioned Concurrency Config found for this function: ${fn.arn}:${qualifier}`);
  }
  writer.apply({ kind: "delete-provisioned-concurrency", function: fn.name, atMs: ctx.now(), qualifier });
  return { status: 204, headers: {}, body: "" };
}

/** GetAccountSettings: regional limits and what the region's functions use of them. */
function getAccountSettings(ctx: SimContext, request: SimRequest): SimResponse {
  const { fleet } = ctx.model;
  const functions = fleet.functions.filter((fn) => fn.region === request.region);
  const totalCodeSize = functions.reduce((sum, fn) => sum + fn.codeSizeBytes * (1 + publishedVersions(fn).length), 0);
  const reserved = functions.reduce((sum, fn) => sum + (currentRevision(ctx, fn).reservedConcurrency ?? 0), 0);
  return restJsonResponse(200, {
    AccountLimit: {
      TotalCodeSize: 80_530_636_800,
      CodeSizeUnzipped: 262_144_000,
      CodeSizeZipped: 52_428_800,
      ConcurrentExecutions: fleet.concurrentExecutionsLimit,
      UnreservedConcurrentExecutions: fleet.concurrentExecutionsLimit - reserved,
    },
    AccountUsage: { TotalCodeSize: totalCodeSize, FunctionCount: functions.length },
  });
}
