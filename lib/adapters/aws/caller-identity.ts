import { GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import { reachingAws } from "@/lib/adapters/aws/unreachable";

/** The account the collectors' own credentials act in (STS GetCallerIdentity). */
export async function discoverAccountId(sts: STSClient): Promise<string> {
  return reachingAws("STS", async () => {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    if (!identity.Account) throw new Error("STS GetCallerIdentity returned no account");
    return identity.Account;
  });
}
