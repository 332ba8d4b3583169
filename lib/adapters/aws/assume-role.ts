import { AssumeRoleCommand, type STSClient } from "@aws-sdk/client-sts";
import { reachingAws } from "@/lib/adapters/aws/unreachable";

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/** Refresh this long before the session expires, so no call goes out with stale keys. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/** How a role is assumed; every field is optional. */
export interface AssumeRoleOptions {
  /** Clock (epoch ms) deciding when the cached session is refreshed. */
  now?: () => number;
  /**
   * Shows in the member account's CloudTrail (the collectors read as `sightline-collector`, the
   * console applies as `sightline-tuning`).
   */
  sessionName?: string;
  /**
   * Sent as `ExternalId` (SIGHTLINE_EXTERNAL_ID): a role whose trust requires `sts:ExternalId`
   * refuses the assume without it (AccessDenied). Undefined sends none. Never put in a message.
   */
  externalId?: string | undefined;
}

/**
 * A credentials provider for a member account: assumes `roleArn` with the caller's own
 * credentials and caches the session until shortly before it expires. One provider per
 * account; the SDK calls it before each request.
 */
export function assumeRoleCredentials(sts: STSClient, roleArn: string, options: AssumeRoleOptions = {}): () => Promise<TemporaryCredentials> {
  const now = options.now ?? Date.now;
  const sessionName = options.sessionName ?? "sightline-collector";
  const externalId = options.externalId;
  let cached: TemporaryCredentials | undefined;
  let pending: Promise<TemporaryCredentials> | undefined;
  return async () => {
    if (cached && cached.expiration.getTime() - REFRESH_MARGIN_MS > now()) return cached;
    pending ??= reachingAws("STS", async () => {
      const out = await sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: sessionName,
          DurationSeconds: 3600,
          ...(externalId === undefined ? {} : { ExternalId: externalId }),
        }),
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
        throw new Error(`STS AssumeRole for ${roleArn} returned no credentials`);
      }
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
    }).finally(() => {
      pending = undefined;
    });
    cached = await pending;
    return cached;
  };
}
