import { z } from "zod";

/**
 * Where SLO alert notifications go, from `SLO_WEBHOOKS`: comma-separated `format=URL` entries,
 * e.g. `slack=https://hooks.slack.com/services/T…/B…/X…,json=https://ops.example.com/hook`.
 *
 * Webhook URLs are secrets (a Slack URL's path is its credential), so errors name an entry by
 * its position, its format and its URL's origin, never the path or query.
 */

export const WEBHOOK_FORMATS = ["json", "slack"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

export const WebhookTargetSchema = z.object({
  format: z.enum(WEBHOOK_FORMATS),
  url: z.url({ protocol: /^https?$/ }),
});
export type WebhookTarget = z.infer<typeof WebhookTargetSchema>;

export type ParseWebhookTargetsResult = { ok: true; targets: WebhookTarget[] } | { ok: false; error: string };

/**
 * Parses `SLO_WEBHOOKS`. Unset or blank means no targets; blank entries (a trailing comma) are
 * skipped. Fails on the first bad entry with a message that names it without its secret part.
 */
export function parseWebhookTargets(value: string | undefined): ParseWebhookTargetsResult {
  const targets: WebhookTarget[] = [];
  const entries = (value ?? "").split(",");
  for (const [index, raw] of entries.entries()) {
    const entry = raw.trim();
    if (entry === "") continue;
    const where = `SLO_WEBHOOKS entry ${index + 1}`;
    const eq = entry.indexOf("=");
    const format = eq === -1 ? "" : entry.slice(0, eq).trim();
    // A format is a short word; anything else (e.g. a bare URL whose query has "=") may be secret.
    if (!/^[A-Za-z]{1,16}$/.test(format)) {
      return { ok: false, error: `${where} (${redactUrl(entry)}) must be format=URL, e.g. slack=https://hooks.slack.com/services/…` };
    }
    const url = entry.slice(eq + 1).trim();
    const parsed = WebhookTargetSchema.safeParse({ format: format.toLowerCase(), url });
    if (!parsed.success) {
      const badFormat = parsed.error.issues.some((i) => i.path[0] === "format");
      return {
        ok: false,
        error: badFormat
          ? `${where} (${format}=${redactUrl(url)}) has an unknown format "${format}": use json or slack`
          : `${where} (${format}=${redactUrl(url)}) needs an http(s) URL such as https://hooks.slack.com/services/…`,
      };
    }
    targets.push(parsed.data);
  }
  return { ok: true, targets };
}

/**
 * `SLO_WEBHOOKS` as a zod field for a config schema: parses to the targets, and reports a bad
 * entry as one issue carrying parseWebhookTargets's redacted message.
 */
export const SloWebhooksSchema = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const result = parseWebhookTargets(value);
    if (!result.ok) {
      ctx.addIssue({ code: "custom", message: result.error });
      return z.NEVER;
    }
    return result.targets;
  });

/**
 * A URL as it may appear in logs and errors: its origin and "/…" when it has a path or query,
 * "an unparseable URL" otherwise. Userinfo (user:password@) is dropped with the rest.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "an unparseable URL";
  }
  // Non-special schemes (mailto:, a bare "host:port") have origin "null".
  if (parsed.origin === "null") return `a ${parsed.protocol} URL`;
  const hasMore = parsed.pathname.length > 1 || parsed.search !== "" || parsed.hash !== "";
  return hasMore ? `${parsed.origin}/…` : parsed.origin;
}
