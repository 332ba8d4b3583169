import { RegionSchema } from "@/lib/domain/shared/ids";

/**
 * X-Ray trace ids look like `1-<8 hex: epoch seconds>-<24 hex>` (the console also takes the
 * 32-hex W3C form). Checked loosely — letters, digits and dashes — so an id of a form not
 * foreseen still links, while nothing else can reach the URL's fragment.
 */
const TRACE_ID = /^[0-9A-Za-z-]{16,64}$/;

/**
 * The CloudWatch console page of one trace (X-Ray traces now live in the CloudWatch console):
 * `https://<region>.console.aws.amazon.com/cloudwatch/home?region=<region>#xray:traces/<traceId>`.
 * @throws RangeError naming `region` or `traceId` when either is malformed.
 */
export function xrayTraceConsoleUrl(region: string, traceId: string): string {
  if (!RegionSchema.safeParse(region).success) throw new RangeError(`region: must be a region code like us-east-1, got "${region}"`);
  if (!TRACE_ID.test(traceId)) throw new RangeError(`traceId: must be an X-Ray trace id like 1-5f84c7a1-0123456789abcdef01234567, got "${traceId}"`);
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#xray:traces/${traceId}`;
}
