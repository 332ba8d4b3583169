import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  GetAccountSettingsCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  GetProvisionedConcurrencyConfigCommand,
  LambdaClient,
  ListAliasesCommand,
  ListFunctionsCommand,
  ListProvisionedConcurrencyConfigsCommand,
  ListTagsCommand,
  DeleteFunctionCommand,
  ResourceNotFoundException,
  paginateListFunctions,
  type FunctionConfiguration,
} from "@aws-sdk/client-lambda";
import { loadScenario } from "@/infra/local/sim/load-scenario";
import { startSimulator } from "@/infra/local/sim/server";

/** The simulated Lambda API driven by the real SDK client, as the collectors use it. */
const scenario = loadScenario("ecommerce");
const { id: accountId, region } = scenario.account;
const arnOf = (name: string) => `arn:aws:lambda:${region}:${accountId}:function:${name}`;

let sim: Awaited<ReturnType<typeof startSimulator>>;
let lambda: LambdaClient;

beforeAll(async () => {
  sim = await startSimulator({ scenario, port: 0, now: () => Date.UTC(2026, 10, 27, 12, 0, 30) });
  lambda = new LambdaClient({
    endpoint: sim.url,
    region,
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "fake" },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  lambda?.destroy();
  await sim?.close();
});

describe("ListFunctions", () => {
  it("pages of 5 via paginateListFunctions return every function exactly once", async () => {
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateListFunctions({ client: lambda, pageSize: 5 }, {})) {
      pages++;
      expect(page.Functions!.length).toBeLessThanOrEqual(5);
      names.push(...page.Functions!.map((f) => f.FunctionName!));
    }
    const expected = scenario.functions.map((f) => f.name);
    expect(pages).toBe(Math.ceil(expected.length / 5));
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([...expected].sort());
  });

  it("caps a page at 50 items and omits NextMarker on the last page", async () => {
    const page = await lambda.send(new ListFunctionsCommand({ MaxItems: 500 }));
    expect(page.Functions).toHaveLength(scenario.functions.length);
    expect(page.NextMarker).toBeUndefined();
  });

  it("lists published versions too with FunctionVersion=ALL", async () => {
    const page = await lambda.send(new ListFunctionsCommand({ FunctionVersion: "ALL" }));
    const payments = page.Functions!.filter((f) => f.FunctionName === "payments-api");
    expect(payments.map((f) => f.Version)).toEqual(["$LATEST", "112"]);
    expect(payments[1]!.FunctionArn).toBe(`${arnOf("payments-api")}:112`);
  });

  it("rejects a forged marker with a 400, not a retried 5xx", async () => {
    const error = await lambda.send(new ListFunctionsCommand({ Marker: "bm9wZQ" })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "InvalidParameterValueException", $metadata: { httpStatusCode: 400 } });
  });
});

describe("GetFunctionConfiguration", () => {
  it("returns the scenario's configuration in Lambda's shape", async () => {
    const declared = scenario.functions.find((f) => f.name === "payments-api")!;
    const config: FunctionConfiguration = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "payments-api" }));
    expect(config).toMatchObject({
      FunctionName: "payments-api",
      FunctionArn: arnOf("payments-api"),
      Runtime: declared.runtime,
      MemorySize: declared.memoryMb,
      Timeout: declared.timeoutSeconds,
      Architectures: [declared.architecture],
      Version: "$LATEST",
      State: "Active",
      LastUpdateStatus: "Successful",
      PackageType: "Zip",
      EphemeralStorage: { Size: 512 },
      SnapStart: { ApplyOn: "None", OptimizationStatus: "Off" },
      LoggingConfig: { LogFormat: "Text", LogGroup: "/aws/lambda/payments-api" },
      TracingConfig: { Mode: "Active" },
    });
    expect(config.LastModified).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    expect(config.CodeSha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(config.Handler).toContain("::handleRequest");
  });

  it("accepts a full ARN and an alias qualifier", async () => {
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: arnOf("orders-api"), Qualifier: "live" }));
    expect(config.FunctionArn).toBe(`${arnOf("orders-api")}:live`);
    expect(config.Version).toBe("57");
  });

  it("a missing function is a ResourceNotFoundException naming its ARN", async () => {
    const error = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "does-not-exist" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as ResourceNotFoundException).message).toBe(`Function not found: ${arnOf("does-not-exist")}`);
    expect((error as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
  });

  it("an unknown qualifier is a ResourceNotFoundException too", async () => {
    const error = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "orders-api", Qualifier: "canary" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
  });
});

describe("tags, concurrency and account settings", () => {
  it("ListTags returns the declared tags, and an empty map for the untagged function", async () => {
    const tagged = await lambda.send(new ListTagsCommand({ Resource: arnOf("notifications-worker") }));
    expect(tagged.Tags).toEqual({ team: "engagement", service: "notifications", env: "prod" });
    const untagged = await lambda.send(new ListTagsCommand({ Resource: arnOf("legacy-report-generator") }));
    expect(untagged.Tags).toEqual({});
  });

  it("GetFunctionConcurrency reports reserved concurrency only where it is set", async () => {
    const reserved = await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: "payments-api" }));
    expect(reserved.ReservedConcurrentExecutions).toBe(100);
    const unreserved = await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: "users-api" }));
    expect(unreserved.ReservedConcurrentExecutions).toBeUndefined();
  });

  it("ListProvisionedConcurrencyConfigs lists the READY config on the live alias", async () => {
    const listed = await lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: "payments-api" }));
    expect(listed.ProvisionedConcurrencyConfigs).toHaveLength(1);
    expect(listed.ProvisionedConcurrencyConfigs![0]).toMatchObject({
      FunctionArn: `${arnOf("payments-api")}:live`,
      RequestedProvisionedConcurrentExecutions: 50,
      AvailableProvisionedConcurrentExecutions: 50,
      AllocatedProvisionedConcurrentExecutions: 50,
      Status: "READY",
    });
    const none = await lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: "users-api" }));
    expect(none.ProvisionedConcurrencyConfigs).toEqual([]);
  });

  it("GetProvisionedConcurrencyConfig answers per qualifier", async () => {
    const config = await lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: "orders-api", Qualifier: "live" }));
    expect(config.RequestedProvisionedConcurrentExecutions).toBe(4);
    const error = await lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: "users-api", Qualifier: "live" })).catch((e: unknown) => e);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });

  it("GetAccountSettings subtracts reserved concurrency from the regional limit", async () => {
    const settings = await lambda.send(new GetAccountSettingsCommand({}));
    const reserved = scenario.functions.reduce((sum, f) => sum + (f.reservedConcurrency ?? 0), 0);
    expect(reserved).toBeGreaterThan(0);
    expect(settings.AccountLimit).toMatchObject({ ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 1000 - reserved });
    expect(settings.AccountUsage?.FunctionCount).toBe(scenario.functions.length);
  });

  it("GetFunction and ListAliases agree with the configuration", async () => {
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: "payments-api" }));
    expect(fn.Configuration?.FunctionName).toBe("payments-api");
    expect(fn.Concurrency?.ReservedConcurrentExecutions).toBe(100);
    expect(fn.Tags?.team).toBe("payments");
    const aliases = await lambda.send(new ListAliasesCommand({ FunctionName: "payments-api" }));
    expect(aliases.Aliases?.map((a) => [a.Name, a.FunctionVersion])).toEqual([["live", "112"]]);
  });

  it("an operation the simulator does not serve fails with a 4xx (no retries)", async () => {
    const error = await lambda.send(new DeleteFunctionCommand({ FunctionName: "users-api" })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "UnknownOperationException", $metadata: { httpStatusCode: 404, attempts: 1 } });
  });
});
