/**
 * Reads what the tuning API (/api/v1/whatif, /api/v1/tuning/*) said went wrong. The API
 * answers `{ error: { code, message }, …details }` (app/_server/http-errors.ts); an `error`
 * string and field lists under `details` or `errors` are read too, so the forms show every
 * field at fault beside the field.
 */
export interface TuningApiError {
  status: number;
  code: string | null;
  message: string;
  /** Field name (as the body names it, e.g. `memoryMb`) → message. */
  fields: Record<string, string>;
  /** The whole answer (e.g. the `entry` of a failed apply the API recorded). */
  body: Record<string, unknown>;
}

function fieldName(path: unknown): string | null {
  if (typeof path === "string" && path.length > 0) return path.replace(/^body\./, "");
  if (Array.isArray(path) && path.length > 0) return path.map(String).join(".");
  return null;
}

/** Field errors in the shapes the API may use: `[{ path | field, message }]` or `{ field: message | [message] }`. */
export function readFieldErrors(value: unknown, into: Record<string, string> = {}): Record<string, string> {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item !== "object" || item === null) continue;
      const record = item as { path?: unknown; field?: unknown; message?: unknown };
      const name = fieldName(record.path ?? record.field);
      if (name !== null && typeof record.message === "string") into[name] ??= record.message;
    }
  } else if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    if ("errors" in record || "fieldErrors" in record) return readFieldErrors(record.errors ?? record.fieldErrors, into);
    for (const [name, message] of Object.entries(record)) {
      if (typeof message === "string") into[name] ??= message;
      else if (Array.isArray(message) && typeof message[0] === "string") into[name] ??= message[0];
    }
  }
  return into;
}

/** A message "memoryMb: must be at least 128" names its field: `{ memoryMb: "must be at least 128" }`. */
function fieldOfMessage(message: string, known: readonly string[]): Record<string, string> {
  const match = /^([A-Za-z.]+):\s*(.+)$/.exec(message);
  if (!match) return {};
  const name = match[1]!.replace(/^body\./, "");
  return known.includes(name) ? { [name]: match[2]! } : {};
}

/** Reads an error answer; a body that is not the API's JSON (a proxy's page) is named by its status. */
export async function readTuningApiError(response: Response, knownFields: readonly string[] = []): Promise<TuningApiError> {
  let parsed: unknown = null;
  try {
    parsed = await response.json();
  } catch {
    // Not JSON: the status says enough.
  }
  const body = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const error = body.error;
  let message = `the server answered ${response.status}`;
  let code: string | null = null;
  if (typeof error === "string") message = error;
  else if (typeof error === "object" && error !== null) {
    const record = error as { code?: unknown; message?: unknown };
    if (typeof record.message === "string") message = record.message;
    if (typeof record.code === "string") code = record.code;
  }
  const fields = readFieldErrors(body.details);
  readFieldErrors(body.errors, fields);
  for (const [name, text] of Object.entries(fieldOfMessage(message, knownFields))) fields[name] ??= text;
  return { status: response.status, code, message, fields, body };
}
