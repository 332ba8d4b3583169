import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));
const alias = { "@": root.replace(/\/$/, "") };

/**
 * Four projects, run in order of cost by scripts/test.mjs (`npm test`):
 * unit (pure, fast, and the property-based tests), infra (CDK template assertions, synthesized
 * offline), integration (real SDK against the simulator and dynalite), e2e (whole stack + Debian
 * Chromium). A fifth, chaos (processes killed and restarted under injected faults), is too slow
 * for `npm test` and runs as `npm run test:chaos` (CI runs both).
 */
export default defineConfig({
  resolve: { alias },
  test: {
    // Two workers even on two cores: most integration and browser tests wait on the simulator,
    // dynalite or a child process rather than compute.
    maxWorkers: 2,
    projects: [
      {
        resolve: { alias },
        test: { name: "unit", include: ["tests/unit/**/*.test.ts", "tests/property/**/*.test.ts"], environment: "node" },
      },
      {
        resolve: { alias },
        test: {
          name: "infra",
          include: ["tests/infra/**/*.test.ts"],
          environment: "node",
          // Synthesizing the app (and, in one test, bundling every collector with esbuild) takes seconds.
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/adapters/**/*.test.ts", "tests/integration/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 300_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "chaos",
          include: ["tests/chaos/**/*.test.ts"],
          environment: "node",
          testTimeout: 600_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
