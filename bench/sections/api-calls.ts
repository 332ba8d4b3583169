import type { BenchSection } from "@/bench/lib/report";

/** Placeholder: see bench/run.ts. */
export const apiCallsSection: BenchSection = {
  id: "api-calls",
  title: "api-calls",
  async run() {
    throw new Error("not written yet");
  },
};
