import { uniqueId, issueSessionCredentials, type Caller, type HostedDirectory } from "./session-credentials";
import type { SimRequest, SimResponse } from "./wire";

/**
 * AWS STS as the v3 client speaks it: the awsQuery protocol. Requests are form-encoded POSTs
 * to `/` (`Action=AssumeRole&Version=2011-06-15&RoleArn=…`, SigV4 signing name `sts`);
 * responses are XML, the result nested in `<ActionResult>`; errors are
 * `<ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error>…`,
 * and the SDK raises the exception named by `Code` (`ExpiredTokenException`, …; codes STS
 * does not model, such as `AccessDenied`, arrive as an `STSServiceException` with that name).
 *
 * Operations: GetCallerIdentity and AssumeRole into the member accounts the scenario declares
 * (with the ExternalId a member's `externalId` requires).
 */

export const STS_VERSION = "2011-06-15";
const XML_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
/** AWS's default MaxSessionDuration of a role (1 hour); longer requests are refused as on AWS. */
export const ROLE_MAX_SESSION_SECONDS = 3600;
const MIN_SESSION_SECONDS = 900;
/** The IAM user static credentials stand for in the primary account. */
export const STATIC_CALLER_USER = "sightline-local";
const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const ROLE_SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
/** STS's ExternalId constraint (its API reference: 2-1224 characters of `[\w+=,.@:\/-]*`). */
const EXTERNAL_ID_MIN = 2;
const EXTERNAL_ID_MAX = 1224;
const EXTERNAL_ID_CHARS = /^[\w+=,.@:/-]*$/;

/** The Action of an awsQuery request (form body, or the query string). */
export function stsOperationName(request: SimRequest): string {
  return stsParams(request).get("Action") ?? "(no Action)";
}

export interface StsDeps {
  /** Clock (epoch ms): credentials expire DurationSeconds after it. */
  now: () => number;
  hosted: HostedDirectory;
}

/** The simulated STS. `requestId` is echoed in the body, as AWS does, and matches the response header. */
export interface StsApi {
  handle(request: SimRequest, caller: Caller, requestId: string): SimResponse;
}

export function createStsApi(deps: StsDeps): StsApi {
  return {
    handle(request, caller, requestId) {
      const params = stsParams(request);
      const action = params.get("Action");
      const version = params.get("Version");
      if (action === null) return stsError(400, "MissingAction", "The request must contain the parameter Action.", requestId);
      if (version !== STS_VERSION) {
        return stsError(400, "InvalidAction", `Could not find operation ${action} for version ${version ?? "(none)"}.`, requestId);
      }
      switch (action) {
        case "GetCallerIdentity":
          return stsResult(action, callerIdentityXml(caller), requestId);
        case "AssumeRole":
          return assumeRole(params, caller, requestId);
        default:
          return stsError(400, "InvalidAction", `Could not find operation ${action} for version ${STS_VERSION}.`, requestId);
      }
    },
  };

  function assumeRole(params: URLSearchParams, caller: Caller, requestId: string): SimResponse {
    const roleArn = params.get("RoleArn");
    const sessionName = params.get("RoleSessionName");
    const durationText = params.get("DurationSeconds");
    if (roleArn === null || roleArn === "") {
      return stsError(400, "ValidationError", "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null", requestId);
    }
    if (sessionName === null || !ROLE_SESSION_NAME.test(sessionName)) {
      return stsError(
        400,
        "ValidationError",
        `1 validation error detected: Value '${sessionName ?? "null"}' at 'roleSessionName' failed to satisfy constraint: Member must be 2-64 characters of [\\w+=,.@-]`,
        requestId,
      );
    }
    const durationSeconds = durationText === null ? ROLE_MAX_SESSION_SECONDS : Number(durationText);
    if (!Number.isInteger(durationSeconds) || durationSeconds < MIN_SESSION_SECONDS || durationSeconds > 43_200) {
      return stsError(
        400,
        "ValidationError",
        `1 validation error detected: Value '${durationText}' at 'durationSeconds' failed to satisfy constraint: Member must be an integer between ${MIN_SESSION_SECONDS} and 43200`,
        requestId,
      );
    }
    const externalId = params.get("ExternalId");
    if (externalId !== null) {
      const problem = externalIdProblem(externalId);
      if (problem !== undefined) {
        return stsError(400, "ValidationError", `1 validation error detected: Value '${externalId}' at 'externalId' failed to satisfy constraint: ${problem}`, requestId);
      }
    }
    const arn = ROLE_ARN.exec(roleArn);
    if (arn === null) return stsError(400, "ValidationError", `${roleArn} is not a valid IAM role ARN (arn:aws:iam::<account>:role/<name>).`, requestId);
    const [, accountId = "", roleName = ""] = arn;
    const denied = (why: string) =>
      stsError(403, "AccessDenied", `User: ${callerArn(caller)} is not authorized to perform: sts:AssumeRole on resource: ${roleArn} (${why})`, requestId);
    // The member roles trust the primary account, as a tooling account's read-only roles do.
    if (caller.kind !== "static") return denied(`the role trusts account ${deps.hosted.primaryAccountId}, not a session in ${caller.accountId}`);
    const declared = deps.hosted.memberRole(accountId);
    if (declared === undefined) {
      const why = accountId === deps.hosted.primaryAccountId
        ? `account ${accountId} is the caller's own; the simulator declares no role in it`
        : `the simulator hosts no account ${accountId}; it hosts ${describeMembers(deps.hosted)}`;
      return denied(why);
    }
    if (roleName !== declared || roleArn !== `arn:aws:iam::${accountId}:role/${declared}`) {
      return denied(`account ${accountId} declares the role ${declared}, not ${roleArn.slice(roleArn.indexOf(":role/") + 6)}`);
    }
    // A trust policy with `StringEquals: { sts:ExternalId }` (the member template with ExternalId
    // set): no id, or another one, is refused like any untrusted caller. The message never
    // echoes either id. A role without the condition ignores whatever is sent.
    const required = deps.hosted.memberExternalId(accountId);
    if (required !== undefined && externalId !== required) {
      return denied(externalId === null ? "the role's trust policy requires an sts:ExternalId; none was sent" : "the role's trust policy requires another sts:ExternalId than the one sent");
    }
    if (durationSeconds > ROLE_MAX_SESSION_SECONDS) {
      return stsError(400, "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", requestId);
    }
    const expirationMs = Math.floor((deps.now() + durationSeconds * 1000) / 1000) * 1000;
    const credentials = issueSessionCredentials({ accountId, roleName, sessionName, expirationMs });
    const assumedRoleId = `${uniqueId("AROA", `${accountId}:${roleName}`)}:${sessionName}`;
    return stsResult(
      "AssumeRole",
      [
        "<Credentials>",
        element("AccessKeyId", credentials.accessKeyId),
        element("SecretAccessKey", credentials.secretAccessKey),
        element("SessionToken", credentials.sessionToken),
        element("Expiration", isoSeconds(expirationMs)),
        "</Credentials>",
        "<AssumedRoleUser>",
        element("AssumedRoleId", assumedRoleId),
        element("Arn", `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`),
        "</AssumedRoleUser>",
      ].join(""),
      requestId,
    );
  }
}

/** Why STS would refuse `externalId` (its API's constraint message), or undefined when it is valid. */
function externalIdProblem(externalId: string): string | undefined {
  if (externalId.length < EXTERNAL_ID_MIN) return `Member must have length greater than or equal to ${EXTERNAL_ID_MIN}`;
  if (externalId.length > EXTERNAL_ID_MAX) return `Member must have length less than or equal to ${EXTERNAL_ID_MAX}`;
  if (!EXTERNAL_ID_CHARS.test(externalId)) return "Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*";
  return undefined;
}

/** The caller's ARN as IAM names it (the primary's IAM user, or the assumed-role session). */
export function callerArn(caller: Caller): string {
  return caller.kind === "static"
    ? `arn:aws:iam::${caller.accountId}:user/${STATIC_CALLER_USER}`
    : `arn:aws:sts::${caller.accountId}:assumed-role/${caller.roleName}/${caller.sessionName}`;
}

function callerIdentityXml(caller: Caller): string {
  const userId = caller.kind === "static"
    ? uniqueId("AIDA", `${caller.accountId}:${STATIC_CALLER_USER}`)
    : `${uniqueId("AROA", `${caller.accountId}:${caller.roleName}`)}:${caller.sessionName}`;
  return element("Arn", callerArn(caller)) + element("UserId", userId) + element("Account", caller.accountId);
}

function describeMembers(hosted: HostedDirectory): string {
  const members = hosted.accountIds.filter((id) => id !== hosted.primaryAccountId);
  if (members.length === 0) return "no member accounts";
  return members.map((id) => `${id} (role ${hosted.memberRole(id) ?? "?"})`).join(", ");
}

/** A successful awsQuery response: `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>…`. */
function stsResult(action: string, resultXml: string, requestId: string): SimResponse {
  return {
    status: 200,
    headers: { "content-type": "text/xml" },
    body:
      `<${action}Response xmlns="${XML_NAMESPACE}">` +
      `<${action}Result>${resultXml}</${action}Result>` +
      `<ResponseMetadata>${element("RequestId", requestId)}</ResponseMetadata>` +
      `</${action}Response>`,
  };
}

/** An awsQuery error as STS sends it; the SDK raises the exception named by `code`. */
export function stsError(status: number, code: string, message: string, requestId: string): SimResponse {
  const type = status < 500 ? "Sender" : "Receiver";
  return {
    status,
    headers: { "content-type": "text/xml" },
    body:
      `<ErrorResponse xmlns="${XML_NAMESPACE}">` +
      `<Error>${element("Type", type)}${element("Code", code)}${element("Message", message)}</Error>` +
      `${element("RequestId", requestId)}` +
      "</ErrorResponse>",
  };
}

function stsParams(request: SimRequest): URLSearchParams {
  const params = new URLSearchParams(request.body);
  for (const [name, value] of request.query) if (!params.has(name)) params.set(name, value);
  return params;
}

function element(name: string, value: string): string {
  return `<${name}>${escapeXml(value)}</${name}>`;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] ?? c);
}

/** ISO-8601 in whole seconds, as STS writes timestamps (`2026-11-27T13:00:30Z`). */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
