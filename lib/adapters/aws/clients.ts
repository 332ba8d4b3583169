import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { LambdaClient } from "@aws-sdk/client-lambda";

/**
 * AWS clients for one region. The endpoint is left to the SDK's own resolution, so
 * AWS_ENDPOINT_URL (the simulator locally) or the real regional endpoint applies without any
 * code knowing which. Four attempts: the SDK backs off between them on throttling and 5xx.
 */
export function createAwsClients(region: string): { lambda: LambdaClient; cloudwatch: CloudWatchClient } {
  return {
    lambda: new LambdaClient({ region, maxAttempts: 4 }),
    cloudwatch: new CloudWatchClient({ region, maxAttempts: 4 }),
  };
}
