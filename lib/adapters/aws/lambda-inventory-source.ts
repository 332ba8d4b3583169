import {
  GetFunctionConcurrencyCommand,
  type LambdaClient,
  ListTagsCommand,
  paginateListFunctions,
  paginateListProvisionedConcurrencyConfigs,
  type FunctionConfiguration,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import type { FunctionConfig, ProvisionedConcurrencyConfig } from "@/lib/domain/inventory/function-config";
import type { FunctionInventorySource } from "@/lib/ports/function-inventory-source";
import { mapWithConcurrency } from "@/lib/domain/shared/concurrency";
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
});

/** Per-function detail calls in flight at once; the Lambda control plane throttles bursts. */
const DETAIL_CONCURRENCY = 4;

/** Lists the functions of one account/region through the Lambda API. */
export class LambdaInventorySource implements FunctionInventorySource {
  constructor(
    private readonly client: LambdaClient,
    readonly accountId: string,
    readonly region: string,
  ) {}

  /** The account id named in the ARNs Lambda returns; null when the region has no function. */
  static async discoverAccountId(client: LambdaClient): Promise<string | null> {
    return reachingAws("Lambda", async () => {
      for await (const page of paginateListFunctions({ client, pageSize: 1 }, {})) {
        const arn = page.Functions?.[0]?.FunctionArn;
        return arn?.split(":")[4] ?? null;
      }
      return null;
    });
  }

  async listFunctions(nowMs: number): Promise<FunctionConfig[]> {
    return reachingAws("Lambda", async () => {
      const configurations: FunctionConfiguration[] = [];
      for await (const page of paginateListFunctions({ client: this.client, pageSize: 50 }, {})) {
        configurations.push(...(page.Functions ?? []));
      }
      return mapWithConcurrency(configurations, DETAIL_CONCURRENCY, (raw) => this.describe(raw, nowMs));
    });
  }

  private async describe(raw: FunctionConfiguration, nowMs: number): Promise<FunctionConfig> {
    const parsed = FunctionConfigurationSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`Lambda returned an unexpected configuration for ${raw.FunctionName ?? "(unnamed)"}: ${issue?.path.join(".")}: ${issue?.message}`);
    }
    const fn = parsed.data;
    const [tags, concurrency, provisioned] = await Promise.all([
      this.client.send(new ListTagsCommand({ Resource: fn.FunctionArn })),
      this.client.send(new GetFunctionConcurrencyCommand({ FunctionName: fn.FunctionName })),
      this.listProvisioned(fn.FunctionName),
    ]);
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
      tags: tags.Tags ?? {},
      reservedConcurrency: concurrency.ReservedConcurrentExecutions ?? null,
      provisionedConcurrency: provisioned,
      collectedAtMs: nowMs,
    };
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
    return configs;
  }
}
