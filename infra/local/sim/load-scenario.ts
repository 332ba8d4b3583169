import { existsSync, readFileSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { ScenarioSchema, type Scenario } from "./scenario-schema";
import { generateFleetScenario, parseFleetName } from "./scenarios/fleet";

/** One problem found in a scenario: where (`functions[3].memoryMb`) and why. */
export interface ScenarioIssue {
  path: string;
  message: string;
}

/** A scenario that cannot be read, parsed or validated. The message names field and reason. */
export class ScenarioError extends Error {
  override readonly name = "ScenarioError";
  constructor(
    message: string,
    readonly source: string,
    readonly issues: readonly ScenarioIssue[] = [],
  ) {
    super(message);
  }
}

/** Resolved on use, not at import, so merely importing this module never touches the file system. */
function scenarioDir(): string {
  return fileURLToPath(new URL("./scenarios/", import.meta.url));
}

/** A bare scenario name (`ecommerce`), as opposed to a file path. */
const BARE_NAME = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Loads and validates a scenario. A bare name (`ecommerce`) resolves to
 * `infra/local/sim/scenarios/<name>.yaml`; `fleet` or `fleet:<n>` generates the fleet
 * scenario with n functions (default 1,000); anything else is a file path (relative to the cwd).
 * @throws ScenarioError when the file is missing, is not YAML, or fails the schema.
 */
export function loadScenario(nameOrPath: string): Scenario {
  const fleet = parseFleetName(nameOrPath);
  if (fleet !== undefined) {
    try {
      return generateFleetScenario(fleet.functions);
    } catch (error) {
      if (error instanceof RangeError) throw new ScenarioError(`${nameOrPath}: ${error.message}`, nameOrPath);
      throw error;
    }
  }
  const isBareName = BARE_NAME.test(nameOrPath);
  const file = isBareName ? resolve(scenarioDir(), `${nameOrPath}.yaml`) : resolve(nameOrPath);
  if (!existsSync(file)) {
    const hint = isBareName ? ` (available: ${listScenarioNames().join(", ") || "none"})` : "";
    throw new ScenarioError(`scenario not found: ${file}${hint}`, file);
  }
  return parseScenario(readFileSync(file, "utf8"), file);
}

/** Names of the scenarios shipped in `infra/local/sim/scenarios/`. */
export function listScenarioNames(): string[] {
  const dir = scenarioDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith(".yaml"))
    .map((file) => file.slice(0, -".yaml".length))
    .concat("fleet")
    .sort();
}

/**
 * Parses scenario YAML text and validates it against `ScenarioSchema`.
 * @param source a file name used in error messages.
 * @throws ScenarioError naming the line (YAML syntax) or the field path (schema).
 */
export function parseScenario(yamlText: string, source = "<scenario>"): Scenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { prettyErrors: false, uniqueKeys: true, lineCounter });
  const syntaxError = doc.errors[0];
  if (syntaxError !== undefined) {
    const at = lineCounter.linePos(syntaxError.pos[0]);
    const where = `:${at.line}:${at.col}`;
    throw new ScenarioError(`${source}${where}: invalid YAML: ${syntaxError.message.split("\n")[0]}`, source);
  }
  const result = ScenarioSchema.safeParse(doc.toJS());
  if (result.success) return result.data;
  const issues = result.error.issues.map(toScenarioIssue);
  const shown = issues.slice(0, 5).map((issue) => `${issue.path}: ${issue.message}`);
  const more = issues.length > shown.length ? `; and ${issues.length - shown.length} more` : "";
  throw new ScenarioError(`${source}: invalid scenario: ${shown.join("; ")}${more}`, source, issues);
}

function toScenarioIssue(issue: z.core.$ZodIssue): ScenarioIssue {
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.map((key) => `"${key}"`).join(", ");
    return { path: formatPath(issue.path), message: `unknown field ${keys}` };
  }
  const message = issue.message.startsWith("Invalid input: expected") && issue.message.endsWith("received undefined")
    ? "is required"
    : issue.message;
  return { path: formatPath(issue.path), message };
}

/** `["functions", 3, "memoryMb"]` → `functions[3].memoryMb`. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "(root)" : out;
}
