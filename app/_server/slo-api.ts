import { getDeps } from "@/app/_server/deps";
import { BadRequestError, ConflictError, NotFoundError, PayloadTooLargeError, parseJsonBody } from "@/app/_server/http-errors";
import { SloExistsError, SloNotFoundError, SloVersionConflictError } from "@/lib/domain/slo/slo-errors";
import { defaultSloScope, type SloFieldError } from "@/lib/use-cases/manage-slos";

/** The largest SLO body accepted (an OpenSLO file of a few hundred SLOs). */
export const MAX_SLO_BODY_BYTES = 1_000_000;

/** Reads a request body as text, refusing more than MAX_SLO_BODY_BYTES. */
export async function readBodyText(request: Request): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_SLO_BODY_BYTES) throw new PayloadTooLargeError(`the body is ${declared} bytes; at most ${MAX_SLO_BODY_BYTES} are accepted`);
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_SLO_BODY_BYTES) throw new PayloadTooLargeError(`the body is over ${MAX_SLO_BODY_BYTES} bytes`);
  return text;
}

/** Parses a JSON body; a syntax error or a `__proto__` key is a 400 naming it (parseJsonBody). */
export async function readJsonBody(request: Request): Promise<unknown> {
  return parseJsonBody(await readBodyText(request));
}

/** A 400 listing every invalid field, the first one in the message. */
export function fieldErrors(errors: readonly SloFieldError[]): BadRequestError {
  const first = errors[0];
  const where = first?.document ? `document ${first.document}: ` : "";
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
  return new BadRequestError(first ? `${where}${first.path}: ${first.message}${more}` : "the SLO is invalid", { errors });
}

/** Maps the SLO store's typed errors to API errors once; anything else goes on. */
export function toSloApiError(error: unknown): unknown {
  if (error instanceof SloNotFoundError) return new NotFoundError(error.message);
  if (error instanceof SloExistsError) return new ConflictError(`${error.message}; change it with PUT /api/v1/slos/${error.sloId}`);
  if (error instanceof SloVersionConflictError) return new ConflictError(error.message, { expectedVersion: error.expectedVersion });
  return error;
}

/** Where imported SLOs without account/region annotations belong (defaultSloScope). */
export async function sloImportDefaults(): Promise<{ accountId: string; region: string } | null> {
  const deps = getDeps();
  const [ownAccountId, functions] = await Promise.all([deps.settings.getOwnAccountId(), deps.functions.listFunctions()]);
  return defaultSloScope({ ownAccountId, region: deps.config.AWS_REGION, scopes: functions });
}
