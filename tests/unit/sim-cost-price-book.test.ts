import { describe, expect, it } from "vitest";
import { formatAmount } from "@/infra/local/sim/cost/cost-explorer-api";
import { PRICE_BOOK, pricesFor, tieredCostUsd, unitPriceUsd } from "@/infra/local/sim/cost/price-book";
import { regionBillingCode, usageTypeFor } from "@/infra/local/sim/cost/usage-types";

/** The simulated bill's prices are the published list prices, and usage types read like AWS's. */
const us = PRICE_BOOK["us-east-1"]!;
const perMillion = (usd: number) => usd * 1_000_000;

describe("Lambda prices equal FACTS.md §2 (us-east-1)", () => {
  // "| requests | $0.20 per million | $0.20 per million |"
  it("requests: $0.20 per million on both architectures", () => {
    expect(perMillion(us.lambda.x86_64.requestUsd)).toBeCloseTo(0.2, 12);
    expect(perMillion(us.lambda.arm64.requestUsd)).toBeCloseTo(0.2, 12);
  });

  // "| duration, first tier | $0.0000166667 per GB-s (first 6 B GB-s/month) | $0.0000133334 (first 7.5 B) |"
  // "| duration, second tier | $0.0000150000 (next 9 B) | $0.0000120001 (next 11.25 B) |"
  // "| duration, third tier | $0.0000133334 (beyond 15 B) | $0.0000106667 (beyond 18.75 B) |"
  it("on-demand duration tiers per architecture", () => {
    expect(us.lambda.x86_64.durationTiers).toEqual([
      { upToUnits: 6e9, usdPerUnit: 0.0000166667 },
      { upToUnits: 6e9 + 9e9, usdPerUnit: 0.000015 },
      { upToUnits: Infinity, usdPerUnit: 0.0000133334 },
    ]);
    expect(us.lambda.arm64.durationTiers).toEqual([
      { upToUnits: 7.5e9, usdPerUnit: 0.0000133334 },
      { upToUnits: 7.5e9 + 11.25e9, usdPerUnit: 0.0000120001 },
      { upToUnits: Infinity, usdPerUnit: 0.0000106667 },
    ]);
  });

  // "| provisioned concurrency, allocated | $0.0000041667 per GB-s | $0.0000033334 per GB-s |"
  // "| duration on provisioned concurrency | $0.0000097222 per GB-s | $0.0000077778 per GB-s |"
  it("provisioned concurrency: allocated and duration", () => {
    expect(us.lambda.x86_64.provisionedConcurrencyUsdPerGbSecond).toBe(0.0000041667);
    expect(us.lambda.arm64.provisionedConcurrencyUsdPerGbSecond).toBe(0.0000033334);
    expect(us.lambda.x86_64.provisionedDurationUsdPerGbSecond).toBe(0.0000097222);
    expect(us.lambda.arm64.provisionedDurationUsdPerGbSecond).toBe(0.0000077778);
    expect(unitPriceUsd(us, "lambda-provisioned-concurrency", "arm64")).toBe(0.0000033334);
  });
});

describe("other services at their us-east-1 list prices", () => {
  it.each([
    ["apigateway-request", 3.5], // REST API requests, $3.50 per million
    ["dynamodb-read", 0.125], // on-demand read request units, $0.125 per million
    ["dynamodb-write", 0.625], // on-demand write request units, $0.625 per million
    ["eventbridge-event", 1.0], // custom events, $1.00 per million
    ["sqs-request", 0.4], // standard queue requests, $0.40 per million
    ["sns-request", 0.5], // publishes, $0.50 per million
    ["xray-trace", 5.0], // traces recorded, $5.00 per million
  ] as const)("%s: $%s per million", (kind, usdPerMillion) => {
    expect(perMillion(unitPriceUsd(us, kind, "x86_64"))).toBeCloseTo(usdPerMillion, 10);
  });

  it("CloudWatch Logs ingestion: $0.50 per GB", () => {
    expect(unitPriceUsd(us, "logs-ingestion", "x86_64")).toBe(0.5);
  });

  it("a region missing from the book is priced like us-east-1 instead of failing", () => {
    expect(pricesFor("ap-southeast-3")).toBe(us);
    expect(pricesFor("us-west-2").lambda.arm64.requestUsd).toBe(us.lambda.arm64.requestUsd);
  });
});

describe("tiered duration cost", () => {
  const x86 = us.lambda.x86_64.durationTiers;
  it("inside the first tier it is usage × first-tier price", () => {
    // 1,000,000 GB-s × $0.0000166667 = $16.6667
    expect(tieredCostUsd(x86, 0, 1_000_000)).toBeCloseTo(16.6667, 9);
  });

  it("crossing 6 B GB-s charges each side at its own tier", () => {
    // 100 M GB-s below 6 B at $0.0000166667 and 100 M above at $0.000015.
    expect(tieredCostUsd(x86, 5.9e9, 6.1e9)).toBeCloseTo(1666.67 + 1500, 6);
  });

  it("spanning all three tiers", () => {
    // 6 B × $0.0000166667 + 9 B × $0.000015 + 1 B × $0.0000133334
    expect(tieredCostUsd(x86, 0, 16e9)).toBeCloseTo(100_000.2 + 135_000 + 13_333.4, 4);
  });

  it("beyond the last boundary everything is third tier; an empty range costs nothing", () => {
    expect(tieredCostUsd(x86, 20e9, 21e9)).toBeCloseTo(13_333.4, 6);
    expect(tieredCostUsd(x86, 5e9, 5e9)).toBe(0);
  });
});

describe("usage types", () => {
  it.each([
    ["lambda-request", "us-east-1", "x86_64", "Request"],
    ["lambda-request", "us-east-1", "arm64", "Request-ARM"],
    ["lambda-duration", "us-east-1", "arm64", "Lambda-GB-Second-ARM"],
    ["lambda-duration", "us-east-2", "x86_64", "USE2-Lambda-GB-Second"],
    ["lambda-provisioned-concurrency", "eu-west-1", "arm64", "EU-Lambda-Provisioned-Concurrency-ARM"],
    ["lambda-provisioned-duration", "ap-northeast-1", "x86_64", "APN1-Lambda-Provisioned-GB-Second"],
    ["apigateway-request", "us-east-1", "x86_64", "USE1-ApiGatewayRequest"],
    ["dynamodb-read", "us-east-1", "x86_64", "ReadRequestUnits"],
    ["dynamodb-write", "eu-central-1", "x86_64", "EUC1-WriteRequestUnits"],
    ["eventbridge-event", "us-east-1", "x86_64", "USE1-Event-64K-Chunks"],
    ["logs-ingestion", "us-east-1", "x86_64", "USE1-DataProcessing-Bytes"],
    ["xray-trace", "us-west-2", "arm64", "USW2-XRay-TracesStored"],
  ] as const)("%s in %s on %s is %s", (kind, region, architecture, expected) => {
    expect(usageTypeFor(kind, region, architecture)).toBe(expected);
  });

  it("billing codes: the table, and a stable code for a region it does not know", () => {
    expect(regionBillingCode("ap-south-1")).toBe("APS3");
    expect(regionBillingCode("eu-west-1")).toBe("EU");
    expect(regionBillingCode("xx-newland-7")).toBe("XXN7");
  });
});

describe("amounts on the wire", () => {
  it("decimal strings with at most 10 fractional digits and no trailing zeros", () => {
    expect(formatAmount(36.000288)).toBe("36.000288");
    expect(formatAmount(0.2 / 1e6)).toBe("0.0000002");
    expect(formatAmount(1234)).toBe("1234");
    expect(formatAmount(0.00000000001)).toBe("0");
    expect(formatAmount(0)).toBe("0");
  });
});
