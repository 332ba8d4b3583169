import { UserFacingError } from "@/lib/domain/shared/user-facing-error";

/** A Logs Insights query ended Failed, Timeout or Cancelled (or an unknown status): the message names its groups and window. */
export class InsightsQueryError extends UserFacingError {
  override readonly name = "InsightsQueryError";
}

/** StartQuery named a log group that does not exist (deleted since it was listed). */
export class LogGroupNotFoundError extends Error {
  override readonly name = "LogGroupNotFoundError";
}

/** One log group over one hour still returned the row limit: nothing left to split, and a truncated result is never stored. */
export class InsightsRowLimitError extends UserFacingError {
  override readonly name = "InsightsRowLimitError";
}
