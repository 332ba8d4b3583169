import type { BenchSection } from "@/bench/lib/report";

/** Placeholder: see bench/run.ts. */
export const analysisSection: BenchSection = {
  id: "analysis",
  title: "analysis",
  async run() {
    throw new Error("not written yet");
  },
};
