import { z } from "zod";

/** An AWS account id: exactly 12 digits. */
export const AccountIdSchema = z.string().regex(/^\d{12}$/, "must be 12 digits");

/** An AWS region code such as us-east-1. */
export const RegionSchema = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be a region code like us-east-1");

/** A Lambda function name: 1–64 letters, digits, hyphens or underscores (Lambda's own rule for a bare name). */
export const FunctionNameSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be a Lambda function name (1-64 letters, digits, - or _)");

/** Identifies one Lambda function across accounts and regions. */
export interface FunctionRef {
  accountId: string;
  region: string;
  functionName: string;
}

/** A stable string form of a FunctionRef, used in keys and URLs. */
export function functionRefKey(ref: FunctionRef): string {
  return `${ref.accountId}#${ref.region}#${ref.functionName}`;
}
