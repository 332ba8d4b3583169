/**
 * The console pages' Content-Security-Policy, built per request by proxy.ts with a fresh nonce
 * (Next reads the nonce back from the request's CSP header and puts it on every script it
 * emits: node_modules/next/dist/docs/01-app/02-guides/content-security-policy.md).
 *
 * - Scripts: only those carrying the nonce, and what they load ('strict-dynamic'); 'self' is the
 *   fallback for browsers without CSP level 3. Development adds 'unsafe-eval' (React's dev
 *   build uses eval for its error overlays; production never does).
 * - Styles: 'self' and 'unsafe-inline'. Server-rendered markup carries style attributes (bars,
 *   legend swatches) and React Flow sizes its canvas inline; a nonce cannot cover attributes,
 *   and with a nonce present browsers would ignore 'unsafe-inline'. Inline style cannot run code.
 * - No plugins, no <base> elsewhere, forms post only to the console (next-auth posts to itself),
 *   and no framing at all (the same as X-Frame-Options: DENY and CloudFront's policy).
 */
export function buildContentSecurityPolicy(options: { nonce: string; development: boolean }): string {
  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    ["script-src", "'self'", `'nonce-${options.nonce}'`, "'strict-dynamic'", ...(options.development ? ["'unsafe-eval'"] : [])],
    ["style-src", "'self'", "'unsafe-inline'"],
    ["img-src", "'self'", "data:", "blob:"],
    ["font-src", "'self'", "data:"],
    ["connect-src", "'self'"],
    ["object-src", "'none'"],
    ["base-uri", "'self'"],
    ["form-action", "'self'"],
    ["frame-ancestors", "'none'"],
  ];
  return directives.map((d) => d.join(" ")).join("; ");
}

