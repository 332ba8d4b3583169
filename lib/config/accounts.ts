import { z } from "zod";
import { AccountIdSchema, RegionSchema } from "@/lib/domain/shared/ids";

/** One account the collectors read: its own credentials (no role) or a role they assume in it. */
export interface AccountTarget {
  accountId: string;
  /** null: the collectors' own account, read with their own credentials. */
  roleArn: string | null;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;

/**
 * `SIGHTLINE_ACCOUNTS`: a comma-separated list of `<account id>` (the collectors' own
 * account) or `<account id>=<role ARN>` (a member account, read through that role), e.g.
 * `111122223333,444455556666=arn:aws:iam::444455556666:role/SightlineReadOnly`.
 * Empty: the collectors' own account only, whichever it is.
 */
export const AccountsSchema = z.preprocess(
  (v) => (v === undefined || v === "" ? [] : String(v).split(",").map((s) => s.trim()).filter(Boolean)),
  z
    .array(
      z.string().transform((entry, ctx): AccountTarget => {
        const [id = "", roleArn] = entry.split("=", 2).map((s) => s.trim());
        if (!AccountIdSchema.safeParse(id).success) {
          ctx.addIssue({ code: "custom", message: `"${entry}": the account id must be 12 digits` });
          return z.NEVER;
        }
        if (roleArn === undefined) return { accountId: id, roleArn: null };
        const match = ROLE_ARN.exec(roleArn);
        if (!match) {
          ctx.addIssue({ code: "custom", message: `"${entry}": the role must be an IAM role ARN like arn:aws:iam::${id}:role/SightlineReadOnly` });
          return z.NEVER;
        }
        if (match[1] !== id) {
          ctx.addIssue({ code: "custom", message: `"${entry}": the role ARN is in account ${match[1]}, not ${id}` });
          return z.NEVER;
        }
        return { accountId: id, roleArn };
      }),
    )
    .superRefine((accounts, ctx) => {
      const seen = new Set<string>();
      for (const a of accounts) {
        if (seen.has(a.accountId)) ctx.addIssue({ code: "custom", message: `account ${a.accountId} is listed twice` });
        seen.add(a.accountId);
      }
      if (accounts.filter((a) => a.roleArn === null).length > 1) {
        ctx.addIssue({ code: "custom", message: "at most one account may be read without a role (the collectors' own)" });
      }
    }),
);

/** `SIGHTLINE_REGIONS`: comma-separated region codes; empty means AWS_REGION alone. */
export const RegionsSchema = z.preprocess(
  (v) => (v === undefined || v === "" ? [] : String(v).split(",").map((s) => s.trim()).filter(Boolean)),
  z.array(RegionSchema).refine((r) => new Set(r).size === r.length, "a region is listed twice"),
);
