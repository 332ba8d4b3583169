import type { BenchSection } from "@/bench/lib/report";

/** Placeholder: see bench/run.ts. */
export const backfillSection: BenchSection = {
  id: "backfill",
  title: "backfill",
  async run() {
    throw new Error("not written yet");
  },
};
