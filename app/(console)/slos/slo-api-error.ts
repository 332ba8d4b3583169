import type { FieldError } from "@/app/(console)/slos/slo-form-model";

/** What the SLO API said went wrong: `{ error: { code, message }, errors?: [{ path, message }] }`. */
export interface SloApiError {
  status: number;
  code: string | null;
  message: string;
  errors: FieldError[];
}

function isFieldError(value: unknown): value is FieldError {
  return typeof value === "object" && value !== null && typeof (value as FieldError).path === "string" && typeof (value as FieldError).message === "string";
}

/** Reads an API error answer; a body that is not the API's JSON (a proxy's page) is named by its status. */
export async function readSloApiError(response: Response): Promise<SloApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON: the status says enough.
  }
  const record = typeof body === "object" && body !== null ? (body as { error?: { code?: unknown; message?: unknown }; errors?: unknown }) : {};
  const code = typeof record.error?.code === "string" ? record.error.code : null;
  const message = typeof record.error?.message === "string" ? record.error.message : `the server answered ${response.status}`;
  const errors = Array.isArray(record.errors) ? record.errors.filter(isFieldError) : [];
  return { status: response.status, code, message, errors };
}
