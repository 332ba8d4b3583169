import {
  DeleteFunctionConcurrencyCommand,
  DeleteProvisionedConcurrencyConfigCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  GetProvisionedConcurrencyConfigCommand,
  type LambdaClient,
  PutFunctionConcurrencyCommand,
  PutProvisionedConcurrencyConfigCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import type { STSClient } from "@aws-sdk/client-sts";
import { z } from "zod";
import { assumeRoleCredentials, type TemporaryCredentials } from "@/lib/adapters/aws/assume-role";
import { discoverAccountId } from "@/lib/adapters/aws/caller-identity";
import { createLambdaClient, createStsClient } from "@/lib/adapters/aws/clients";
import { AwsUnreachableError, reachingAws } from "@/lib/adapters/aws/unreachable";
import type { FunctionRef } from "@/lib/domain/shared/ids";
import type { TuningChange } from "@/lib/domain/sizing/tuning-types";
import type { TuningTarget } from "@/lib/domain/sizing/tuning-change";
import { LambdaTuningError, type LambdaTuner, type TuningOperation } from "@/lib/ports/tuning-apply";

export interface AwsLambdaTunerOptions {
  /** Region of the console's own STS calls (the home account's region). */
  homeRegion: string;
  /**
   * The account the default credentials act in (SIGHTLINE_ACCOUNT_ID); when absent it is
   * asked of STS GetCallerIdentity once. Functions in it are changed with those credentials.
   */
  homeAccountId?: string;
  /** The IAM role assumed in every other account (`arn:<partition>:iam::<account>:role/<roleName>`). */
  roleName: string;
  /**
   * Also go through `roleName` in the home account (TUNING_APPLY_HOME_VIA_ROLE): on AWS the
   * console's execution role holds no Lambda action, so every change is made by the apply role.
   */
  homeViaRole?: boolean;
  /**
   * Sent as `ExternalId` when assuming `roleName` in a member account (SIGHTLINE_EXTERNAL_ID), so
   * a member whose template sets `ExternalId` lets the console in. Not sent to the home
   * account's apply role (`homeViaRole`): that role (the SightlineApply stack) trusts the
   * console's execution role alone and asks for no external id, which guards against a
   * confused deputy across accounts only. Undefined: none is sent anywhere.
   */
  externalId?: string | undefined;
  /** For tests: an STS client (default: a metered one in homeRegion) and a clock for credential expiry. */
  sts?: STSClient;
  now?: () => number;
}

/** Shows in the member account's CloudTrail as the session that made the change. */
const SESSION_NAME = "sightline-tuning";

const MemorySchema = z.object({ MemorySize: z.number().int().positive() });
const ProvisionedSchema = z.object({ RequestedProvisionedConcurrentExecutions: z.number().int().nonnegative() });
const ReservedSchema = z.object({ ReservedConcurrentExecutions: z.number().int().nonnegative().optional() });

/** The partition of a region (role and function ARNs differ in China and GovCloud). */
function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/**
 * `<Code>: <message>` from whatever the SDK threw: a modelled exception (its name is Lambda's
 * error code), an STS refusal while assuming the role, or the network. Never a stack.
 */
function toTuningError(operation: string, error: unknown): LambdaTuningError {
  if (error instanceof LambdaTuningError) return error;
  if (error instanceof AwsUnreachableError) return new LambdaTuningError(operation, error.message, true);
  const e = error as { name?: unknown; message?: unknown; $fault?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const code = typeof e.name === "string" && e.name !== "" && e.name !== "Error" ? e.name : "Error";
  const message = typeof e.message === "string" && e.message.trim() !== "" ? e.message.trim().split("\n")[0]! : "no message";
  const status = typeof e.$metadata?.httpStatusCode === "number" ? e.$metadata.httpStatusCode : 0;
  const retryable = e.$fault === "server" || status >= 500 || code === "TooManyRequestsException" || code === "ResourceConflictException";
  return new LambdaTuningError(operation, `${code}: ${message}`.slice(0, 1000), retryable);
}

/**
 * Reads and changes the tunable settings of functions in any account Sightline watches: the
 * home account with the console's own credentials (or, with `homeViaRole`, through `roleName`
 * like the rest), every other account through `roleName` assumed with them (cached per account until shortly before expiry). Functions are addressed
 * by full ARN, so a call made with the wrong account's credentials is refused by Lambda
 * (ResourceNotFoundException) instead of changing a same-named function elsewhere.
 */
export class AwsLambdaTuner implements LambdaTuner {
  private readonly sts: STSClient;
  private readonly now: () => number;
  private home: Promise<string> | undefined;
  private readonly clients = new Map<string, LambdaClient>();
  private readonly roles = new Map<string, () => Promise<TemporaryCredentials>>();

  constructor(private readonly options: AwsLambdaTunerOptions) {
    this.sts = options.sts ?? createStsClient(options.homeRegion);
    this.now = options.now ?? Date.now;
    if (options.homeAccountId) this.home = Promise.resolve(options.homeAccountId);
  }

  async readSetting(ref: FunctionRef, target: TuningTarget): Promise<TuningChange> {
    const FunctionName = this.arnOf(ref);
    switch (target.kind) {
      case "memory": {
        const out = await this.call(ref, "GetFunctionConfiguration", (c) => c.send(new GetFunctionConfigurationCommand({ FunctionName })));
        return { kind: "memory", memoryMb: this.parse("GetFunctionConfiguration", MemorySchema, out).MemorySize };
      }
      case "provisioned-concurrency": {
        const { qualifier } = target;
        const out = await this.call(ref, "GetProvisionedConcurrencyConfig", async (c) => {
          try {
            return await c.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName, Qualifier: qualifier }));
          } catch (error) {
            // None configured on the qualifier (the qualifier itself exists: a missing alias is ResourceNotFoundException).
            if ((error as { name?: string }).name === "ProvisionedConcurrencyConfigNotFoundException") return { RequestedProvisionedConcurrentExecutions: 0 };
            throw error;
          }
        });
        const executions = this.parse("GetProvisionedConcurrencyConfig", ProvisionedSchema, out).RequestedProvisionedConcurrentExecutions;
        return { kind: "provisioned-concurrency", qualifier, executions };
      }
      case "reserved-concurrency": {
        const out = await this.call(ref, "GetFunctionConcurrency", (c) => c.send(new GetFunctionConcurrencyCommand({ FunctionName })));
        return { kind: "reserved-concurrency", executions: this.parse("GetFunctionConcurrency", ReservedSchema, out).ReservedConcurrentExecutions ?? null };
      }
    }
  }

  async write(ref: FunctionRef, change: TuningChange): Promise<{ operation: TuningOperation }> {
    const FunctionName = this.arnOf(ref);
    switch (change.kind) {
      case "memory": {
        const operation = "UpdateFunctionConfiguration";
        await this.call(ref, operation, (c) => c.send(new UpdateFunctionConfigurationCommand({ FunctionName, MemorySize: change.memoryMb })));
        return { operation };
      }
      case "provisioned-concurrency": {
        const Qualifier = change.qualifier;
        if (change.executions > 0) {
          const operation = "PutProvisionedConcurrencyConfig";
          await this.call(ref, operation, (c) =>
            c.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName, Qualifier, ProvisionedConcurrentExecutions: change.executions })),
          );
          return { operation };
        }
        const operation = "DeleteProvisionedConcurrencyConfig";
        await this.call(ref, operation, async (c) => {
          try {
            await c.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName, Qualifier }));
          } catch (error) {
            // Already none: what was asked for holds.
            if ((error as { name?: string }).name !== "ProvisionedConcurrencyConfigNotFoundException") throw error;
          }
        });
        return { operation };
      }
      case "reserved-concurrency": {
        if (change.executions !== null) {
          const operation = "PutFunctionConcurrency";
          const executions = change.executions;
          await this.call(ref, operation, (c) => c.send(new PutFunctionConcurrencyCommand({ FunctionName, ReservedConcurrentExecutions: executions })));
          return { operation };
        }
        const operation = "DeleteFunctionConcurrency";
        await this.call(ref, operation, (c) => c.send(new DeleteFunctionConcurrencyCommand({ FunctionName })));
        return { operation };
      }
    }
  }

  private arnOf(ref: FunctionRef): string {
    return `arn:${partitionOf(ref.region)}:lambda:${ref.region}:${ref.accountId}:function:${ref.functionName}`;
  }

  /** Runs one call with the client for the function's account and region, mapping every failure to LambdaTuningError. */
  private async call<T>(ref: FunctionRef, operation: string, send: (client: LambdaClient) => Promise<T>): Promise<T> {
    try {
      const client = await this.clientFor(ref);
      return await reachingAws("Lambda", () => send(client));
    } catch (error) {
      throw toTuningError(operation, error);
    }
  }

  private parse<T>(operation: string, schema: z.ZodType<T>, output: unknown): T {
    const parsed = schema.safeParse(output);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw new LambdaTuningError(operation, `UnexpectedResponse: Lambda ${operation} answered without a valid ${issue?.path.join(".") || "body"} (${issue?.message ?? "invalid"})`, false);
  }

  private async clientFor(ref: FunctionRef): Promise<LambdaClient> {
    const home = await this.homeAccount();
    const key = `${ref.accountId}#${ref.region}`;
    const cached = this.clients.get(key);
    if (cached) return cached;
    let client: LambdaClient;
    if (ref.accountId === home && !this.options.homeViaRole) {
      client = createLambdaClient(ref.region);
    } else {
      let credentials = this.roles.get(ref.accountId);
      if (!credentials) {
        const roleArn = `arn:${partitionOf(this.options.homeRegion)}:iam::${ref.accountId}:role/${this.options.roleName}`;
        const externalId = ref.accountId === home ? undefined : this.options.externalId;
        credentials = assumeRoleCredentials(this.sts, roleArn, { now: this.now, sessionName: SESSION_NAME, externalId });
        this.roles.set(ref.accountId, credentials);
      }
      client = createLambdaClient(ref.region, credentials);
    }
    this.clients.set(key, client);
    return client;
  }

  private homeAccount(): Promise<string> {
    this.home ??= discoverAccountId(this.sts).catch((error: unknown) => {
      this.home = undefined; // ask again next time
      throw error;
    });
    return this.home;
  }
}
