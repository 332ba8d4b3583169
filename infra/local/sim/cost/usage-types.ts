/**
 * Every billing line the simulated account produces, in one table: the Cost Explorer SERVICE,
 * the USAGE_TYPE (with AWS's region prefix), the UsageQuantity unit and the OPERATION.
 *
 * Region prefixes follow AWS's billing codes (USE2 = us-east-2, EU = eu-west-1, ...). In
 * us-east-1 older services bill without a prefix while newer ones carry `USE1-`; the names
 * below were checked against published price-list usage types and real Cost Explorer output:
 * Lambda (`Request`, `Lambda-GB-Second-ARM`), DynamoDB (`ReadRequestUnits`), SQS
 * (`Requests-RBP`) and SNS (`Requests-Tier1`) are bare in us-east-1; API Gateway
 * (`USE1-ApiGatewayRequest`), EventBridge (`USE1-Event-64K-Chunks`), CloudWatch Logs ingestion
 * (`USE1-DataProcessing-Bytes`) and X-Ray (`USE1-XRay-TracesStored`) are prefixed.
 */

/** Lambda's two architectures, as the minute series encodes them (0 = x86_64, 1 = arm64). */
export type Architecture = "x86_64" | "arm64";

/** What the simulated account is billed for. */
export type UsageKind =
  | "lambda-request"
  | "lambda-duration"
  | "lambda-provisioned-concurrency"
  | "lambda-provisioned-duration"
  | "apigateway-request"
  | "dynamodb-read"
  | "dynamodb-write"
  | "eventbridge-event"
  | "sqs-request"
  | "sns-request"
  | "logs-ingestion"
  | "xray-trace";

export interface UsageKindSpec {
  /** SERVICE as Cost Explorer spells it. */
  service: string;
  /** Usage type without region prefix and architecture suffix. */
  usageType: string;
  /** Lambda bills arm64 under its own usage types (`...-ARM`). */
  perArchitecture: boolean;
  /** Whether us-east-1 carries the `USE1-` prefix (newer services) or none (older ones). */
  prefixedInUsEast1: boolean;
  /** Unit of UsageQuantity. */
  unit: string;
  operation: string;
}

export const USAGE_KINDS: Readonly<Record<UsageKind, UsageKindSpec>> = {
  "lambda-request": { service: "AWS Lambda", usageType: "Request", perArchitecture: true, prefixedInUsEast1: false, unit: "Requests", operation: "Invoke" },
  "lambda-duration": { service: "AWS Lambda", usageType: "Lambda-GB-Second", perArchitecture: true, prefixedInUsEast1: false, unit: "Lambda-GB-Second", operation: "Invoke" },
  "lambda-provisioned-concurrency": {
    service: "AWS Lambda",
    usageType: "Lambda-Provisioned-Concurrency",
    perArchitecture: true,
    prefixedInUsEast1: false,
    unit: "Lambda-GB-Second",
    operation: "Invoke",
  },
  "lambda-provisioned-duration": {
    service: "AWS Lambda",
    usageType: "Lambda-Provisioned-GB-Second",
    perArchitecture: true,
    prefixedInUsEast1: false,
    unit: "Lambda-GB-Second",
    operation: "Invoke",
  },
  "apigateway-request": { service: "Amazon API Gateway", usageType: "ApiGatewayRequest", perArchitecture: false, prefixedInUsEast1: true, unit: "Requests", operation: "ApiGatewayRequest" },
  "dynamodb-read": { service: "Amazon DynamoDB", usageType: "ReadRequestUnits", perArchitecture: false, prefixedInUsEast1: false, unit: "ReadRequestUnits", operation: "PayPerRequestThroughput" },
  "dynamodb-write": { service: "Amazon DynamoDB", usageType: "WriteRequestUnits", perArchitecture: false, prefixedInUsEast1: false, unit: "WriteRequestUnits", operation: "PayPerRequestThroughput" },
  "eventbridge-event": { service: "Amazon EventBridge", usageType: "Event-64K-Chunks", perArchitecture: false, prefixedInUsEast1: true, unit: "Events", operation: "PutEvents" },
  "sqs-request": { service: "Amazon Simple Queue Service", usageType: "Requests-RBP", perArchitecture: false, prefixedInUsEast1: false, unit: "Requests", operation: "SendMessage" },
  "sns-request": { service: "Amazon Simple Notification Service", usageType: "Requests-Tier1", perArchitecture: false, prefixedInUsEast1: false, unit: "Requests", operation: "Publish" },
  "logs-ingestion": { service: "AmazonCloudWatch", usageType: "DataProcessing-Bytes", perArchitecture: false, prefixedInUsEast1: true, unit: "GB", operation: "PutLogEvents" },
  "xray-trace": { service: "AWS X-Ray", usageType: "XRay-TracesStored", perArchitecture: false, prefixedInUsEast1: true, unit: "Traces", operation: "PutTraceSegments" },
};

/** AWS region billing codes (the usage-type prefix). eu-west-1 keeps its historical `EU`. */
export const REGION_BILLING_CODES: Readonly<Record<string, string>> = {
  "us-east-1": "USE1",
  "us-east-2": "USE2",
  "us-west-1": "USW1",
  "us-west-2": "USW2",
  "ca-central-1": "CAN1",
  "sa-east-1": "SAE1",
  "eu-west-1": "EU",
  "eu-west-2": "EUW2",
  "eu-west-3": "EUW3",
  "eu-central-1": "EUC1",
  "eu-central-2": "EUC2",
  "eu-north-1": "EUN1",
  "eu-south-1": "EUS1",
  "ap-northeast-1": "APN1",
  "ap-northeast-2": "APN2",
  "ap-northeast-3": "APN3",
  "ap-southeast-1": "APS1",
  "ap-southeast-2": "APS2",
  "ap-south-1": "APS3",
  "ap-south-2": "APS4",
  "ap-east-1": "APE1",
  "af-south-1": "AFS1",
  "me-south-1": "MES1",
  "me-central-1": "MEC1",
};

/**
 * Billing code of a region; for a region missing from the table, the AWS pattern built from
 * its name (`xx-yyyy-N` → `XXY N`) so the prefix is at least stable and distinct.
 */
export function regionBillingCode(region: string): string {
  const known = REGION_BILLING_CODES[region];
  if (known !== undefined) return known;
  const [area = "", direction = "", number = ""] = region.split("-");
  return `${area.toUpperCase()}${direction.charAt(0).toUpperCase()}${number}`;
}

/** The USAGE_TYPE Cost Explorer shows for this kind of usage in `region` on `architecture`. */
export function usageTypeFor(kind: UsageKind, region: string, architecture: Architecture = "x86_64"): string {
  const spec = USAGE_KINDS[kind];
  const suffix = spec.perArchitecture && architecture === "arm64" ? "-ARM" : "";
  const bare = region === "us-east-1" && !spec.prefixedInUsEast1;
  return `${bare ? "" : `${regionBillingCode(region)}-`}${spec.usageType}${suffix}`;
}
