import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

/** The layering of DESIGN.md §3, as the lint rules in eslint.config.mjs enforce it. */
const eslint = new ESLint({ cwd: fileURLToPath(new URL("../..", import.meta.url)) });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("import boundaries", () => {
  it.each([
    ["lib/domain/x.ts", 'import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";\nexport const c = CloudWatchClient;', /lib\/domain is pure/],
    ["lib/domain/x.ts", 'import { readFileSync } from "node:fs";\nexport const r = readFileSync;', /lib\/domain is pure/],
    ["lib/domain/x.ts", 'import { getDeps } from "@/app/_server/deps";\nexport const d = getDeps;', /must not depend on entry points/],
    ["lib/use-cases/x.ts", 'import { DynamoUserStore } from "@/lib/adapters/dynamodb/user-repository";\nexport const s = DynamoUserStore;', /adapters are injected/],
    ["lib/queries/x.ts", 'import { createDynamoClients } from "@/lib/adapters/dynamodb/client";\nexport const c = createDynamoClients;', /through ports/],
    ["app/(console)/x/page.tsx", 'import { DynamoFunctionStore } from "@/lib/adapters/dynamodb/function-repository";\nexport const s = DynamoFunctionStore;', /only app\/_server builds adapters/],
    ["collectors/x.ts", 'import { LambdaClient } from "@aws-sdk/client-lambda";\nexport const l = LambdaClient;', /Only lib\/adapters may import the AWS SDK/],
  ])("rejects what %s must not import (%#)", async (filePath, code, message) => {
    const messages = await restrictedImports(filePath, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(message);
  });

  it.each([
    ["lib/domain/x.ts", 'import { z } from "zod";\nimport { MINUTE_MS } from "@/lib/domain/shared/time";\nexport const a = [z, MINUTE_MS];'],
    ["lib/adapters/aws/x.ts", 'import { LambdaClient } from "@aws-sdk/client-lambda";\nexport const l = LambdaClient;'],
    ["app/_server/x.ts", 'import { DynamoUserStore } from "@/lib/adapters/dynamodb/user-repository";\nexport const s = DynamoUserStore;'],
  ])("allows what %s may import", async (filePath, code) => {
    expect(await restrictedImports(filePath, code)).toEqual([]);
  });
});
