import type { ConsoleBuild } from "@/infra/stacks/contracts";

/** STUB (helper B2 replaces it): builds the console for Lambda (or reuses an up-to-date build). */
export function prepareConsoleBuild(): ConsoleBuild {
  throw new Error("not built yet");
}
