import type { BenchSection } from "@/bench/lib/report";

/** Placeholder: see bench/run.ts. */
export const consoleLoadSection: BenchSection = {
  id: "console-load",
  title: "console-load",
  async run() {
    throw new Error("not written yet");
  },
};
