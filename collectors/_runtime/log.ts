import { Logger } from "@aws-lambda-powertools/logger";

/** A minimal structured logger: JSON lines in Lambda, plain lines under the local scheduler. */
export interface CollectorLog {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * Powertools' structured logger (JSON lines with level, service, timestamp and, once a handler
 * adds it, the Lambda context): what CloudWatch Logs Insights parses best.
 */
export function powertoolsLog(collector: string): CollectorLog & { logger: Logger } {
  const logger = new Logger({ serviceName: "sightline-collectors", persistentKeys: { collector } });
  return {
    logger,
    info: (message, fields) => logger.info(message, { ...fields }),
    error: (message, fields) => logger.error(message, { ...fields }),
  };
}

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
