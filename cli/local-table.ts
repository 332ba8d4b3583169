import { resolveLocalEndpoints } from "@/cli/local-stack";
import { createDynamoClients } from "@/lib/adapters/dynamodb/client";
import { loadLocalConfig } from "@/lib/config/local-config";
import { UserFacingError } from "@/lib/domain/shared/user-facing-error";
import { describeError } from "@/lib/use-cases/describe-error";

/**
 * The table of the local stack (`npm start`'s, or the DynamoDB the configuration names), for
 * CLI commands that read or write it next to a running stack. The embedded dynalite accepts
 * any credentials, so placeholder ones are set when none are configured.
 */
export function openLocalTable(): { doc: ReturnType<typeof createDynamoClients>["doc"]; tableName: string; dynamoEndpoint: string | undefined } {
  const config = loadLocalConfig();
  const endpoints = resolveLocalEndpoints(config);
  if (config.SIGHTLINE_DYNAMODB === "embedded" && !process.env.AWS_ACCESS_KEY_ID) {
    process.env.AWS_ACCESS_KEY_ID = "sightline-local";
    process.env.AWS_SECRET_ACCESS_KEY = "sightline-local";
  }
  const { doc } = createDynamoClients({ region: config.AWS_REGION, endpoint: endpoints.dynamoEndpoint });
  return { doc, tableName: config.TABLE_NAME, dynamoEndpoint: endpoints.dynamoEndpoint };
}

/** A refused connection to the local DynamoDB, said as what to do about it; other errors unchanged. */
export function explainLocalTableError(error: unknown, dynamoEndpoint: string | undefined): unknown {
  const text = describeError(error);
  if (/ECONNREFUSED/.test(text) && dynamoEndpoint) return new UserFacingError(`cannot reach DynamoDB at ${dynamoEndpoint}; is \`npm start\` running? (${text})`);
  return error;
}
