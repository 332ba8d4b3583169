import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { countYamlAliases, duplicateYamlKeys, yamlNestingProblem } from "@/lib/domain/shared/yaml-guard";
import { ScenarioSchema, type ResolvedMemberAccount, type Scenario } from "./scenario-schema";
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
 * The scenarios of its member accounts (`account.members`) are loaded too, into `memberAccounts`.
 * @throws ScenarioError when the file is missing, is not YAML, or fails the schema, or when a
 * member account's scenario does.
 */
export function loadScenario(nameOrPath: string): Scenario {
  const { scenario, file } = readScenario(nameOrPath, process.cwd());
  return resolveMemberAccounts(scenario, { baseDir: file === undefined ? process.cwd() : dirname(file), source: file ?? nameOrPath });
}

/** One scenario without its members: `file` is where it came from (none for a generated fleet). */
function readScenario(nameOrPath: string, baseDir: string): { scenario: Scenario; file: string | undefined } {
  const fleet = parseFleetName(nameOrPath);
  if (fleet !== undefined) {
    try {
      return { scenario: generateFleetScenario(fleet.functions), file: undefined };
    } catch (error) {
      if (error instanceof RangeError) throw new ScenarioError(`${nameOrPath}: ${error.message}`, nameOrPath);
      throw error;
    }
  }
  const isBareName = BARE_NAME.test(nameOrPath);
  const file = isBareName ? resolve(scenarioDir(), `${nameOrPath}.yaml`) : resolve(baseDir, nameOrPath);
  if (!existsSync(file)) {
    const hint = isBareName ? ` (available: ${listScenarioNames().join(", ") || "none"})` : "";
    throw new ScenarioError(`scenario not found: ${file}${hint}`, file);
  }
  return { scenario: validateScenarioText(readFileSync(file, "utf8"), file), file };
}

/**
 * Reads the scenarios of `scenario.account.members` into `memberAccounts` (same order). A
 * member is a shipped scenario name or a path relative to `baseDir` (default: the cwd). A
 * member may not host members of its own nor declare faults (they apply to every hosted
 * account), and every hosted account needs its own account id and scenario name (the name
 * keys its state file). Returns the scenario unchanged when it
 * has no members.
 * @throws ScenarioError whose issues name `account.members[i].scenario`.
 */
export function resolveMemberAccounts(scenario: Scenario, options: { baseDir?: string; source?: string } = {}): Scenario {
  if (scenario.account.members.length === 0) return scenario;
  const baseDir = options.baseDir ?? process.cwd();
  const source = options.source ?? scenario.name;
  const issues: ScenarioIssue[] = [];
  const memberAccounts: ResolvedMemberAccount[] = [];
  const accountOwners = new Map([[scenario.account.id, scenario.name]]);
  const names = new Set([scenario.name]);
  scenario.account.members.forEach((member, index) => {
    const path = `account.members[${index}].scenario`;
    let loaded: Scenario;
    try {
      loaded = readScenario(member.scenario, baseDir).scenario;
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      issues.push({ path, message: error.message });
      return;
    }
    if (loaded.account.members.length > 0) {
      issues.push({ path, message: `${loaded.name} declares account.members of its own; a member account cannot host members` });
    }
    if (loaded.faults.length > 0) {
      issues.push({ path, message: `${loaded.name} declares faults; faults apply to every hosted account, so declare them in ${scenario.name}` });
    }
    const owner = accountOwners.get(loaded.account.id);
    if (owner !== undefined) {
      issues.push({ path, message: `account ${loaded.account.id} of ${loaded.name} is already hosted by scenario ${owner}` });
    } else if (names.has(loaded.name)) {
      issues.push({ path, message: `scenario name "${loaded.name}" is already in use (each hosted account keeps its state in <name>-<seed>.json)` });
    }
    accountOwners.set(loaded.account.id, loaded.name);
    names.add(loaded.name);
    memberAccounts.push({ role: member.role, externalId: member.externalId ?? null, scenario: loaded });
  });
  if (issues.length > 0) {
    throw new ScenarioError(`${source}: invalid scenario: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`, source, issues);
  }
  return { ...scenario, memberAccounts };
}

/** Names of the scenarios shipped in `infra/local/sim/scenarios/`. */
const SLO_SEED_SUFFIX = ".slos.yaml";

/**
 * The default SLOs (OpenSLO v1 YAML) that ship with a built-in scenario, `<name>.slos.yaml`
 * beside it; null when it has none (or the scenario is a path or generated).
 */
export function scenarioSloSeedFile(scenarioName: string): string | null {
  if (!/^[a-z0-9-]+$/.test(scenarioName)) return null;
  const file = join(scenarioDir(), `${scenarioName}${SLO_SEED_SUFFIX}`);
  return existsSync(file) ? file : null;
}

export function listScenarioNames(): string[] {
  const dir = scenarioDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    // `<scenario>.slos.yaml` files are a scenario's default SLOs (OpenSLO), not scenarios.
    .filter((file) => file.endsWith(".yaml") && !file.endsWith(SLO_SEED_SUFFIX))
    .map((file) => file.slice(0, -".yaml".length))
    .concat("fleet")
    .sort();
}

/**
 * Parses scenario YAML text, validates it against `ScenarioSchema` and loads its member
 * accounts' scenarios (paths relative to the directory of `source`).
 * @param source a file name used in error messages.
 * @throws ScenarioError naming the line (YAML syntax) or the field path (schema).
 */
export function parseScenario(yamlText: string, source = "<scenario>"): Scenario {
  return resolveMemberAccounts(validateScenarioText(yamlText, source), { baseDir: dirname(resolve(source)), source });
}

/** The largest scenario file read (1 MB): the shipped ones are a few KB; fleet:<n> is generated, not read. */
export const MAX_SCENARIO_BYTES = 1_048_576;
/** Alias expansions allowed in a scenario: YAML anchors are handy for shared traffic shapes, a "billion laughs" is not. */
export const MAX_SCENARIO_ALIAS_COUNT = 100;

function validateScenarioText(yamlText: string, source: string): Scenario {
  const bytes = Buffer.byteLength(yamlText, "utf8");
  if (bytes > MAX_SCENARIO_BYTES) {
    throw new ScenarioError(`${source}: the scenario is ${bytes.toLocaleString("en-US")} bytes, more than the 1 MB (${MAX_SCENARIO_BYTES.toLocaleString("en-US")} bytes) a scenario may be`, source);
  }
  const nesting = yamlNestingProblem(yamlText);
  if (nesting !== null) throw new ScenarioError(`${source}: invalid YAML: ${nesting}`, source);
  const lineCounter = new LineCounter();
  // uniqueKeys off: the library's check is quadratic in a mapping's keys; duplicateYamlKeys does it in one pass.
  const doc = parseDocument(yamlText, { prettyErrors: false, uniqueKeys: false, lineCounter });
  const syntaxError = doc.errors[0];
  if (syntaxError !== undefined) {
    const at = lineCounter.linePos(syntaxError.pos[0]);
    const where = `:${at.line}:${at.col}`;
    throw new ScenarioError(`${source}${where}: invalid YAML: ${syntaxError.message.split("\n")[0]}`, source);
  }
  const duplicate = duplicateYamlKeys(doc)[0];
  if (duplicate !== undefined) {
    const at = lineCounter.linePos(duplicate.offset);
    throw new ScenarioError(`${source}:${at.line}:${at.col}: invalid YAML: Map keys must be unique (${duplicate.key} is repeated)`, source);
  }
  const aliases = countYamlAliases(doc);
  if (aliases > MAX_SCENARIO_ALIAS_COUNT) {
    throw new ScenarioError(`${source}: invalid YAML: too many YAML aliases (${aliases}, at most ${MAX_SCENARIO_ALIAS_COUNT}): the file looks like a YAML bomb`, source);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_SCENARIO_ALIAS_COUNT });
  } catch (error) {
    // The yaml library throws a ReferenceError past maxAliasCount (and for an alias to an unknown anchor).
    const reason =
      error instanceof ReferenceError && /alias/i.test(error.message)
        ? `too many YAML alias expansions (more than ${MAX_SCENARIO_ALIAS_COUNT}): the file looks like a YAML bomb`
        : `cannot read the YAML: ${error instanceof Error ? error.message : String(error)}`;
    throw new ScenarioError(`${source}: invalid YAML: ${reason}`, source);
  }
  const result = ScenarioSchema.safeParse(value);
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
