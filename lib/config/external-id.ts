import { z } from "zod";

/**
 * What STS accepts as `ExternalId` on AssumeRole: 2-1224 characters of `[\w+=,.@:/-]`
 * (letters, digits, `_` and `+=,.@:/-`; no spaces). The member template's `ExternalId`
 * parameter takes the same characters.
 */
export const EXTERNAL_ID_PATTERN = /^[\w+=,.@:/-]{2,1224}$/;

/**
 * `SIGHTLINE_EXTERNAL_ID`: the external id sent with every AssumeRole into a member account,
 * the value of the member template's `ExternalId` parameter (one value for every member).
 * Unset, empty or blank: none is sent, which every member deployed with an empty `ExternalId`
 * accepts. AWS does not treat it as a secret, but it is kept out of logs and parse errors
 * anyway (parseEnv never echoes it).
 */
export const optionalExternalId = z.preprocess(
  (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
  z
    .string()
    .regex(EXTERNAL_ID_PATTERN, "must be 2-1224 characters of letters, digits and _+=,.@:/- (what STS accepts as an ExternalId)")
    .optional(),
);
