import {
  GetAccountSettingsCommand,
  GetFunctionConcurrencyCommand,
  type LambdaClient,
  ListTagsCommand,
  paginateListAliases,
  paginateListFunctions,
  paginateListProvisionedConcurrencyConfigs,
  paginateListVersionsByFunction,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import type {
  AccountConcurrency,
  FunctionAlias,
  FunctionDetails,
  FunctionSummary,
  FunctionVersion,
  ProvisionedConcurrencyConfig,
} from "@/lib/domain/inventory/function-config";
import type { FunctionInventorySource, UnreadableFunction } from "@/lib/ports/function-inventory-source";
import { reachingAws } from "@/lib/adapters/aws/unreachable";

/** The parts of FunctionConfiguration the product depends on; anything else may vary. */
const FunctionConfigurationSchema = z.object({
  FunctionName: z.string(),
  FunctionArn: z.string().regex(/^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:/, "must be a Lambda function ARN"),
  Runtime: z.string().optional(),
  MemorySize: z.number().int().min(128).max(10240),
  Timeout: z.number().positive(),
  Architectures: z.array(z.enum(["x86_64", "arm64"])).optional(),
  EphemeralStorage: z.object({ Size: z.number() }).optional(),
  PackageType: z.enum(["Zip", "Image"]).optional(),
  LastModified: z.string().optional(),
  RevisionId: z.string().optional(),
  Version: z.string().optional(),
  SnapStart: z.object({ ApplyOn: z.enum(["PublishedVersions", "None"]).optional() }).optional(),
  Layers: z.array(z.object({ Arn: z.string() })).optional(),
  TracingConfig: z.object({ Mode: z.enum(["Active", "PassThrough"]).optional() }).optional(),
});
type ParsedConfiguration = z.infer<typeof FunctionConfigurationSchema>;

const AccountSettingsSchema = z.object({
  AccountLimit: z.object({ ConcurrentExecutions: z.number().int().positive(), UnreservedConcurrentExecutions: z.number().int().nonnegative() }),
  AccountUsage: z.object({ FunctionCount: z.number().int().nonnegative() }).optional(),
});

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join(".") || "(configuration)"}: ${issue?.message}`;
}

/** Lists the functions of one account/region through the Lambda API. */
export class LambdaInventorySource implements FunctionInventorySource {
  constructor(
    private readonly client: LambdaClient,
    readonly accountId: string,
    readonly region: string,
  ) {}

  async listFunctions(): Promise<{ functions: FunctionSummary[]; unreadable: UnreadableFunction[] }> {
    return reachingAws("Lambda", async () => {
      const functions: FunctionSummary[] = [];
      const unreadable: UnreadableFunction[] = [];
      for await (const page of paginateListFunctions({ client: this.client, pageSize: 50 }, {})) {
        for (const raw of page.Functions ?? []) {
          const parsed = FunctionConfigurationSchema.safeParse(raw);
          if (parsed.success) functions.push(this.toSummary(parsed.data));
          else unreadable.push({ functionName: raw.FunctionName ?? "(unnamed)", reason: describeIssue(parsed.error) });
        }
      }
      return { functions, unreadable };
    });
  }

  private toSummary(fn: ParsedConfiguration): FunctionSummary {
    return {
      accountId: fn.FunctionArn.split(":")[4] ?? this.accountId,
      region: this.region,
      functionName: fn.FunctionName,
      functionArn: fn.FunctionArn,
      runtime: fn.Runtime ?? null,
      architecture: fn.Architectures?.[0] ?? "x86_64",
      memoryMb: fn.MemorySize,
      timeoutSeconds: fn.Timeout,
      ephemeralStorageMb: fn.EphemeralStorage?.Size ?? 512,
      packageType: fn.PackageType ?? "Zip",
      lastModified: fn.LastModified ?? "",
      revisionId: fn.RevisionId ?? fn.LastModified ?? "",
      snapStart: fn.SnapStart?.ApplyOn ?? "None",
      layers: (fn.Layers ?? []).map((l) => l.Arn),
      tracingMode: fn.TracingConfig?.Mode ?? "PassThrough",
    };
  }

  async describeFunction(summary: FunctionSummary): Promise<FunctionDetails> {
    return reachingAws("Lambda", async () => {
      const name = summary.functionName;
      const [tags, concurrency, provisionedConcurrency, aliases, versions] = await Promise.all([
        this.client.send(new ListTagsCommand({ Resource: summary.functionArn })),
        this.client.send(new GetFunctionConcurrencyCommand({ FunctionName: name })),
        this.listProvisioned(name),
        this.listAliases(name),
        this.listVersions(name),
      ]);
      return {
        tags: tags.Tags ?? {},
        reservedConcurrency: concurrency.ReservedConcurrentExecutions ?? null,
        provisionedConcurrency,
        aliases,
        versions,
      };
    });
  }

  async getAccountConcurrency(nowMs: number): Promise<AccountConcurrency> {
    return reachingAws("Lambda", async () => {
      const parsed = AccountSettingsSchema.safeParse(await this.client.send(new GetAccountSettingsCommand({})));
      if (!parsed.success) throw new Error(`Lambda GetAccountSettings returned an unexpected answer: ${describeIssue(parsed.error)}`);
      return {
        accountId: this.accountId,
        region: this.region,
        concurrentExecutionsLimit: parsed.data.AccountLimit.ConcurrentExecutions,
        unreservedConcurrentExecutions: parsed.data.AccountLimit.UnreservedConcurrentExecutions,
        functionCount: parsed.data.AccountUsage?.FunctionCount ?? 0,
        collectedAtMs: nowMs,
      };
    });
  }

  private async listProvisioned(functionName: string): Promise<ProvisionedConcurrencyConfig[]> {
    const configs: ProvisionedConcurrencyConfig[] = [];
    for await (const page of paginateListProvisionedConcurrencyConfigs({ client: this.client }, { FunctionName: functionName })) {
      for (const pc of page.ProvisionedConcurrencyConfigs ?? []) {
        configs.push({
          qualifier: pc.FunctionArn?.split(":")[7] ?? "",
          requested: pc.RequestedProvisionedConcurrentExecutions ?? 0,
          allocated: pc.AllocatedProvisionedConcurrentExecutions ?? 0,
          available: pc.AvailableProvisionedConcurrentExecutions ?? 0,
          status: pc.Status ?? "UNKNOWN",
        });
      }
    }
    return configs.sort((a, b) => a.qualifier.localeCompare(b.qualifier));
  }

  private async listAliases(functionName: string): Promise<FunctionAlias[]> {
    const aliases: FunctionAlias[] = [];
    for await (const page of paginateListAliases({ client: this.client }, { FunctionName: functionName })) {
      for (const alias of page.Aliases ?? []) {
        if (alias.Name && alias.FunctionVersion) aliases.push({ name: alias.Name, functionVersion: alias.FunctionVersion });
      }
    }
    return aliases.sort((a, b) => a.name.localeCompare(b.name));
  }

  private async listVersions(functionName: string): Promise<FunctionVersion[]> {
    const versions: FunctionVersion[] = [];
    for await (const page of paginateListVersionsByFunction({ client: this.client }, { FunctionName: functionName })) {
      for (const raw of page.Versions ?? []) {
        const parsed = FunctionConfigurationSchema.safeParse(raw);
        if (!parsed.success || !parsed.data.Version || parsed.data.Version === "$LATEST") continue;
        versions.push({
          version: parsed.data.Version,
          memoryMb: parsed.data.MemorySize,
          architecture: parsed.data.Architectures?.[0] ?? "x86_64",
          runtime: parsed.data.Runtime ?? null,
          lastModified: parsed.data.LastModified ?? "",
        });
      }
    }
    return versions.sort((a, b) => Number(a.version) - Number(b.version));
  }
}

