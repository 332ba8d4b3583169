import { UserFacingError } from "@/lib/domain/shared/user-facing-error";

/**
 * A one-line, user-safe description of an error for status records and logs: the error's
 * name and message, never its stack. Network failures name the address that was refused.
 */
export function describeError(error: unknown): string {
  // Written for people already: the message alone says it.
  if (error instanceof UserFacingError) return error.message.slice(0, 500);
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const name = error.name && error.name !== "Error" ? error.name : typeof code === "string" ? code : "Error";
    const message = error.message || (error instanceof AggregateError ? error.errors.map(describeError).join("; ") : "");
    return `${name}: ${message}`.slice(0, 500);
  }
  return String(error).slice(0, 500);
}
