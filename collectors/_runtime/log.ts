/** A minimal structured logger: JSON lines in Lambda, plain lines under the local scheduler. */
export interface CollectorLog {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** JSON lines, one object per line: what CloudWatch Logs Insights parses best. */
export const jsonLog: CollectorLog = {
  info: (message, fields) => console.log(JSON.stringify({ level: "INFO", message, ...fields })),
  error: (message, fields) => console.error(JSON.stringify({ level: "ERROR", message, ...fields })),
};

/** Human-readable lines for a terminal, prefixed with the collector name. */
export function plainLog(prefix: string): CollectorLog {
  const fmt = (fields?: Record<string, unknown>) =>
    fields && Object.keys(fields).length > 0
      ? " " + Object.entries(fields).map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`).join(" ")
      : "";
  return {
    info: (message, fields) => console.log(`${prefix}${message}${fmt(fields)}`),
    error: (message, fields) => console.error(`${prefix}${message}${fmt(fields)}`),
  };
}
