import { ConfigError } from "@/lib/config/config-error";

/** The problems a configuration loader reports (each naming its variable); fails the test when it accepts. */
export function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
}
