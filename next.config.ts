import path from "node:path";
import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

const repoRoot = path.dirname(fileURLToPath(import.meta.url));

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // `.next/standalone` is the console's server everywhere: the Lambda package
  // (infra/console/build-console.ts) and the local stack (`sightline console`) run its server.js,
  // Next's own server with only the node_modules it traces.
  output: "standalone",
  // Trace from the repository root, so the standalone tree mirrors it (server.js at its top).
  outputFileTracingRoot: repoRoot,
  // The AWS SDK is large and Node-only: load it from node_modules at runtime instead of
  // bundling it into every server chunk (faster builds, smaller output, same behaviour).
  // The tuning apply path (lib/adapters/aws/lambda-tuner.ts) reaches Lambda and STS through
  // lib/adapters/aws/clients.ts, which imports every client the collectors use.
  serverExternalPackages: [
    "@aws-sdk/client-dynamodb",
    "@aws-sdk/lib-dynamodb",
    "@aws-sdk/client-lambda",
    "@aws-sdk/client-sts",
    "@aws-sdk/client-cloudwatch",
    "@aws-sdk/client-cloudwatch-logs",
    "@aws-sdk/client-cost-explorer",
    "@aws-sdk/client-xray",
  ],
  // The repository is the workspace root; without this Next may pick a parent lockfile.
  turbopack: { root: repoRoot },
  typescript: {
    // `next build` would type-check the whole repository (CDK app, collectors, tests) on every
    // `sightline start`. `npm run typecheck` (tsc --noEmit) is the gate in CI and `npm test`;
    // the build only compiles the console.
    ignoreBuildErrors: true,
  },
  // Pages get their Content-Security-Policy (with a per-request script nonce) from proxy.ts;
  // these headers go on every answer. HSTS comes from CloudFront in AWS (infra/stacks/console-stack.ts),
  // where the console is served over https; locally it is plain http on loopback.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
        ],
      },
      {
        // JSON (and CSV) answers: nothing may run, load or frame in them.
        source: "/api/v1/:path*",
        headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }],
      },
    ];
  },
};

export default nextConfig;
