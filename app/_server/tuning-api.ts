import type { z } from "zod";
import { AwsApiError, BadRequestError, ConflictError, NotFoundError, UnsupportedMediaTypeError } from "@/app/_server/http-errors";
import { readJsonBody } from "@/app/_server/slo-api";
import {
  TuningAuditNotFoundError,
  TuningConflictError,
  TuningInvalidError,
  TuningLambdaError,
  TuningNotApplicableError,
} from "@/lib/use-cases/apply-tuning";

/** Reads a JSON body with `schema`: 415 unless the Content-Type is JSON, 400 naming every field at fault. */
export async function readTuningBody<T>(request: Request, schema: z.ZodType<T>): Promise<T> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") throw new UnsupportedMediaTypeError(`Content-Type must be application/json, got "${type || "none"}"`);
  const parsed = schema.safeParse(await readJsonBody(request));
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.map((issue) => ({ path: issue.path.join(".") || "body", message: issue.message }));
  const first = errors[0]!;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
  throw new BadRequestError(`${first.path}: ${first.message}${more}`, { errors });
}

/** Maps the apply use cases' typed errors to API errors once; anything else goes on (a 500). */
export function toTuningApiError(error: unknown): unknown {
  if (error instanceof TuningInvalidError) return new BadRequestError(error.message, { errors: [{ path: error.field, message: error.problem }] });
  if (error instanceof TuningConflictError) return new ConflictError(error.message, { current: error.current });
  if (error instanceof TuningNotApplicableError) return new ConflictError(error.message);
  if (error instanceof TuningAuditNotFoundError) return new NotFoundError(error.message);
  if (error instanceof TuningLambdaError) {
    // The failed audit entry goes with the answer, so the console shows what was recorded.
    return new AwsApiError(error.retryable ? 503 : 502, error.message, { entry: error.entry, operation: error.operation });
  }
  return error;
}
