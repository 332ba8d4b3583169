// Lint: typescript-eslint's recommended rules plus the import boundaries of DESIGN.md §3,
// so the architecture is enforced by `npm run lint` rather than by memory.
import tseslint from "typescript-eslint";

const LAYERS = {
  app: "@/app/*",
  collectors: "@/collectors/*",
  cli: "@/cli/*",
  infra: "@/infra/*",
  config: "@/lib/config/*",
  adapters: "@/lib/adapters/*",
  queries: "@/lib/queries/*",
  useCases: "@/lib/use-cases/*",
  ports: "@/lib/ports/*",
};
const SDK = ["@aws-sdk/*", "@smithy/*"];

/** A no-restricted-imports rule forbidding these groups, each with the reason shown to the author. */
function forbid(groups) {
  return {
    "no-restricted-imports": [
      "error",
      { patterns: groups.map(({ group, message }) => ({ group, message })) },
    ],
  };
}

const sdkOnlyInAdapters = { group: SDK, message: "Only lib/adapters may import the AWS SDK (DESIGN.md §3)." };
const noOuterLayers = (who) => ({
  group: [LAYERS.app, LAYERS.collectors, LAYERS.cli, LAYERS.infra],
  message: `${who} must not depend on entry points (app/, collectors/, cli/, infra/).`,
});

export default tseslint.config(
  {
    ignores: ["node_modules/**", ".next/**", ".data/**", "cdk.out/**", "next-env.d.ts", "tests/.reports/**", "bench/results/**"],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    files: ["lib/domain/**"],
    rules: forbid([
      {
        group: [LAYERS.ports, LAYERS.useCases, LAYERS.queries, LAYERS.adapters, LAYERS.config, ...SDK, "node:*", "react", "react-dom", "next", "next/*"],
        message: "lib/domain is pure: it imports only itself and zod (DESIGN.md §3).",
      },
      noOuterLayers("lib/domain"),
    ]),
  },
  {
    files: ["lib/ports/**"],
    rules: forbid([
      { group: [LAYERS.useCases, LAYERS.queries, LAYERS.adapters, LAYERS.config], message: "Ports import only domain types." },
      sdkOnlyInAdapters,
      noOuterLayers("lib/ports"),
    ]),
  },
  {
    files: ["lib/use-cases/**"],
    rules: forbid([
      { group: [LAYERS.queries, LAYERS.adapters, LAYERS.config], message: "Use cases depend on domain and ports only; adapters are injected." },
      sdkOnlyInAdapters,
      noOuterLayers("lib/use-cases"),
    ]),
  },
  {
    files: ["lib/queries/**"],
    rules: forbid([
      { group: [LAYERS.adapters, LAYERS.config], message: "Queries take repositories through ports; the composition root builds them." },
      sdkOnlyInAdapters,
      noOuterLayers("lib/queries"),
    ]),
  },
  {
    files: ["lib/config/**"],
    rules: forbid([
      { group: [LAYERS.adapters, LAYERS.useCases, LAYERS.queries], message: "Config only parses the environment." },
      sdkOnlyInAdapters,
      noOuterLayers("lib/config"),
    ]),
  },
  {
    files: ["lib/adapters/**"],
    rules: forbid([
      { group: [LAYERS.useCases, LAYERS.queries], message: "Adapters implement ports; they do not call use cases or queries." },
      noOuterLayers("lib/adapters"),
    ]),
  },
  {
    files: ["app/**"],
    ignores: ["app/_server/**"],
    rules: forbid([
      { group: [LAYERS.adapters, ...SDK], message: "Pages and routes read through lib/queries; only app/_server builds adapters." },
      { group: [LAYERS.collectors, LAYERS.cli, LAYERS.infra], message: "The console does not import collectors, the CLI or infra." },
    ]),
  },
  {
    files: ["app/_server/**", "collectors/**", "cli/**", "infra/**"],
    rules: forbid([sdkOnlyInAdapters]),
  },
);
