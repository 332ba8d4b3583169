import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { ScenarioError, listScenarioNames, loadScenario, parseScenario } from "@/infra/local/sim/load-scenario";

/** Scenario files: the shipped default loads, and broken files say where and why. */
const ECOMMERCE_PATH = fileURLToPath(new URL("../../infra/local/sim/scenarios/ecommerce.yaml", import.meta.url));
const ecommerceText = readFileSync(ECOMMERCE_PATH, "utf8");

type Json = Record<string, unknown>;
interface ScenarioDoc {
  account: Json;
  services: { name: string; functions: Json[] }[];
  functions: Json[];
  events: Json[];
}

/** The function declared under services[s].functions[f] in the file (for edits). */
const fnIn = (doc: ScenarioDoc, service: number, index: number): Json => doc.services[service]!.functions[index]!;

/** The ecommerce scenario as plain data, changed by `edit`, back to YAML. */
function editedScenario(edit: (doc: ScenarioDoc) => void): string {
  const doc = parse(ecommerceText) as ScenarioDoc;
  edit(doc);
  return stringify(doc);
}

function validationMessage(yamlText: string): string {
  try {
    parseScenario(yamlText, "test.yaml");
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).message;
  }
  throw new Error("expected the scenario to be rejected");
}

describe("the ecommerce scenario", () => {
  const scenario = loadScenario("ecommerce");

  it("is the seed article's account: 123456789012 in us-east-1", () => {
    expect(scenario.account).toMatchObject({ id: "123456789012", region: "us-east-1", concurrentExecutionsLimit: 1000 });
    expect(listScenarioNames()).toContain("ecommerce");
  });

  it("declares the services of the case study with kebab-case names", () => {
    const names = scenario.functions.map((f) => f.name);
    for (const expected of [
      "users-api",
      "orders-api",
      "inventory-api",
      "payments-api",
      "order-saga-validate-inventory",
      "order-saga-reserve-inventory",
      "order-saga-process-payment",
      "order-saga-confirm-order",
      "orders-stream-processor",
      "inventory-queue-worker",
      "notifications-worker",
      "order-events-fanout",
      "legacy-report-generator",
    ]) {
      expect(names).toContain(expected);
    }
    for (const name of names) expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it("tags every function with team, service and env except the legacy one, which has no tags at all", () => {
    for (const fn of scenario.functions) {
      if (fn.name === "legacy-report-generator") expect(fn.tags).toBeUndefined();
      else expect(Object.keys(fn.tags ?? {}).sort()).toEqual(["env", "service", "team"]);
    }
    expect(scenario.functions.find((f) => f.name === "payments-api")).toMatchObject({ runtime: "java21", tags: { team: "payments" } });
    expect(scenario.functions.find((f) => f.name === "notifications-worker")?.tags?.team).toBe("engagement");
  });

  it("mixes runtimes, architectures and memory sizes, with provisioned concurrency on a live alias", () => {
    expect(new Set(scenario.functions.map((f) => f.runtime)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(scenario.functions.map((f) => f.architecture))).toEqual(new Set(["x86_64", "arm64"]));
    const memory = [...scenario.functions.map((f) => f.memoryMb), ...scenario.events.flatMap((e) => (e.kind === "configuration-change" ? [e.memoryMb] : []))];
    expect(Math.min(...memory)).toBe(128);
    expect(Math.max(...memory)).toBe(3008);
    const payments = scenario.functions.find((f) => f.name === "payments-api")!;
    expect(payments.provisionedConcurrency).toEqual([{ qualifier: "live", requestedExecutions: 50 }]);
  });
});

describe("scenario validation", () => {
  it("names the field path and the range of a bad memory size", () => {
    const text = editedScenario((doc) => {
      fnIn(doc, 3, 0).memoryMb = 64;
    });
    expect(validationMessage(text)).toContain("services[3].functions[0].memoryMb: must be between 128 and 10240");
  });

  it("exposes every issue with its path for programmatic use", () => {
    const text = editedScenario((doc) => {
      fnIn(doc, 0, 0).timeoutSeconds = 0;
      doc.account.id = "12345";
    });
    try {
      parseScenario(text);
      expect.unreachable();
    } catch (error) {
      const paths = (error as ScenarioError).issues.map((issue) => issue.path);
      expect(paths).toContain("services[0].functions[0].timeoutSeconds");
      expect(paths).toContain("account.id");
    }
  });

  it("rejects an unknown field instead of ignoring a typo", () => {
    const text = editedScenario((doc) => {
      fnIn(doc, 1, 0).memorySize = 512;
    });
    expect(validationMessage(text)).toContain('services[1].functions[0]: unknown field "memorySize"');
  });

  it("says a missing required field is required", () => {
    const text = editedScenario((doc) => {
      delete fnIn(doc, 2, 0).runtime;
    });
    expect(validationMessage(text)).toContain("services[2].functions[0].runtime: is required");
  });

  it("rejects a follow of an unknown function and a follow cycle", () => {
    const unknown = editedScenario((doc) => {
      fnIn(doc, 5, 0).traffic = { follows: "no-such-function" };
    });
    expect(validationMessage(unknown)).toContain('services[5].functions[0].traffic.follows: unknown function "no-such-function"');
    const cycle = editedScenario((doc) => {
      fnIn(doc, 1, 0).traffic = { follows: "order-saga-validate-inventory" };
    });
    expect(validationMessage(cycle)).toMatch(/traffic\.follows: cycle through/);
  });

  it("rejects a duration model without work or with a p99 below its median", () => {
    const empty = editedScenario((doc) => {
      fnIn(doc, 0, 0).duration = { cpuMs: 0, ioMs: 0 };
    });
    expect(validationMessage(empty)).toContain("services[0].functions[0].duration: cpuMs + ioMs must be at least 1 ms");
    const inverted = editedScenario((doc) => {
      fnIn(doc, 0, 0).duration = { cpuMs: 5, ioMs: 5, p99ToMedian: 0.5 };
    });
    expect(validationMessage(inverted)).toContain("services[0].functions[0].duration.p99ToMedian: must be between 1.01 and 100");
  });

  it("rejects an api trigger in a service without an API, and a call to an unknown function", () => {
    const noApi = editedScenario((doc) => {
      fnIn(doc, 6, 0).trigger = { type: "api", route: "GET /saga" };
    });
    expect(validationMessage(noApi)).toContain("services[6].functions[0].trigger: an api trigger needs the service to declare api");
    const ghostCall = editedScenario((doc) => {
      fnIn(doc, 0, 0).calls = [{ service: "lambda", resource: "ghost" }];
    });
    expect(validationMessage(ghostCall)).toContain('services[0].functions[0].calls[0].resource: unknown function "ghost"');
  });

  it("rejects a deploy that is not a one-off and a relative time without its hour", () => {
    const recurring = editedScenario((doc) => {
      const deploy = doc.events.find((e) => e.kind === "deploy")!;
      deploy.schedule = { dailyAtUtc: "10:00" };
    });
    expect(validationMessage(recurring)).toMatch(/events\[\d\]\.schedule: a deploy happens once: use at or daysAgo/);
    const noHour = editedScenario((doc) => {
      const deploy = doc.events.find((e) => e.kind === "deploy")!;
      deploy.schedule = { daysAgo: 2 };
    });
    expect(validationMessage(noHour)).toMatch(/events\[\d\]\.schedule\.atUtc: daysAgo and atUtc go together/);
  });

  it("rejects provisioned concurrency on an alias that does not exist", () => {
    const text = editedScenario((doc) => {
      fnIn(doc, 4, 0).provisionedConcurrency = [{ qualifier: "blue", requestedExecutions: 5 }];
    });
    expect(validationMessage(text)).toContain('services[4].functions[0].provisionedConcurrency[0].qualifier: unknown alias "blue"');
  });

  it("rejects reserved concurrency that leaves fewer than 100 executions unreserved", () => {
    const text = editedScenario((doc) => {
      fnIn(doc, 0, 0).reservedConcurrency = 900;
    });
    expect(validationMessage(text)).toMatch(/^test\.yaml: invalid scenario: functions: reserved concurrency in us-east-1 totals \d+/);
  });

  it("rejects an event aimed at an unknown function and an unknown event kind", () => {
    const unknownTarget = editedScenario((doc) => {
      doc.events[0]!.functions = ["users-api", "ghost"];
    });
    expect(validationMessage(unknownTarget)).toContain('events[0].functions[1]: unknown function "ghost"');
    const unknownKind = editedScenario((doc) => {
      doc.events[0]!.kind = "meteor-strike";
    });
    expect(validationMessage(unknownKind)).toContain("events[0].kind");
  });

  it("reports YAML syntax errors with the file, line and column", () => {
    expect(validationMessage("version: 1\nfunctions: [\n  - a: b\n")).toMatch(/^test\.yaml:\d+:\d+: invalid YAML/);
  });

  it("reports a missing scenario name with the available ones", () => {
    expect(() => loadScenario("no-such-scenario")).toThrow(/scenario not found: .*no-such-scenario\.yaml \(available: .*ecommerce/);
  });

  it("loads a scenario from a file path as well as by name", () => {
    expect(loadScenario(ECOMMERCE_PATH)).toEqual(loadScenario("ecommerce"));
  });
});

describe("member accounts", () => {
  /** A minimal standalone scenario (one function) as YAML, for member files. */
  const memberYaml = (name: string, accountId: string, extra = "") => `
version: 1
name: ${name}
account: { id: "${accountId}", region: us-east-1 }
functions:
  - name: ${name}-fn
    runtime: nodejs22.x
    memoryMb: 256
    timeoutSeconds: 10
    traffic: { meanRatePerSecond: 0.1 }
    duration: { cpuMs: 5, ioMs: 20 }
${extra}`;

  /** Issues of a scenario that fails, as `path: message` lines. */
  function issuesOf(yamlText: string, source = "test.yaml"): string[] {
    try {
      parseScenario(yamlText, source);
    } catch (error) {
      expect(error).toBeInstanceOf(ScenarioError);
      return (error as ScenarioError).issues.map((issue) => `${issue.path}: ${issue.message}`);
    }
    throw new Error("expected the scenario to be rejected");
  }

  const withMembers = (members: unknown[]) =>
    editedScenario((doc) => {
      doc.account.members = members;
    });

  it("ecommerce hosts its staging environment as a member account reached through SightlineReadOnly", () => {
    const scenario = loadScenario("ecommerce");
    expect(scenario.account.members).toEqual([{ scenario: "ecommerce-staging", role: "SightlineReadOnly" }]);
    expect(scenario.memberAccounts).toHaveLength(1);
    const member = scenario.memberAccounts![0]!;
    expect(member.role).toBe("SightlineReadOnly");
    expect(member.scenario.account).toMatchObject({ id: "210987654321", region: "us-east-1", members: [] });
    expect(member.scenario.account.id).not.toBe(scenario.account.id);
    expect(member.scenario.functions.length).toBeGreaterThanOrEqual(3);
    expect(member.scenario.functions.length).toBeLessThanOrEqual(4);
    for (const fn of member.scenario.functions) expect(fn.tags).toMatchObject({ env: "staging" });
    // The member on its own is the same scenario.
    expect(loadScenario("ecommerce-staging")).toEqual(member.scenario);
  });

  it("names the field of a bad role name and of an unknown field", () => {
    expect(issuesOf(withMembers([{ scenario: "ecommerce-staging", role: "Sightline ReadOnly" }]))).toContain(
      "account.members[0].role: must be an IAM role name (1-64 letters, digits or +=,.@_-) such as SightlineReadOnly",
    );
    expect(issuesOf(withMembers([{ scenario: "ecommerce-staging", role: "SightlineReadOnly", roleArn: "arn:aws:iam::1:role/x" }]))).toContain(
      'account.members[0]: unknown field "roleArn"',
    );
    expect(issuesOf(withMembers([{ scenario: "ecommerce-staging" }]))).toContain("account.members[0].role: is required");
  });

  it("names the member whose scenario does not exist, and a member listed twice", () => {
    const missing = issuesOf(withMembers([{ scenario: "no-such-account", role: "R" }]));
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatch(/^account\.members\[0\]\.scenario: scenario not found: .*no-such-account\.yaml \(available: .*ecommerce-staging/);
    const twice = withMembers([
      { scenario: "ecommerce-staging", role: "R" },
      { scenario: "ecommerce-staging", role: "S" },
    ]);
    expect(issuesOf(twice)).toContain('account.members[1].scenario: scenario "ecommerce-staging" is listed twice');
  });

  it("reads a member from a path relative to the scenario file, and refuses an account id or name already hosted", () => {
    const dir = mkdtempSync(join(tmpdir(), "sim-members-"));
    try {
      writeFileSync(join(dir, "dev.yaml"), memberYaml("dev", "333344445555"));
      writeFileSync(join(dir, "clash.yaml"), memberYaml("clash", "123456789012"));
      writeFileSync(join(dir, "named-ecommerce.yaml"), memberYaml("ecommerce", "666677778888"));
      const ok = parseScenario(withMembers([{ scenario: "./dev.yaml", role: "Reader" }]), join(dir, "main.yaml"));
      expect(ok.memberAccounts!.map((m) => [m.scenario.account.id, m.role, m.scenario.functions.map((f) => f.name)])).toEqual([
        ["333344445555", "Reader", ["dev-fn"]],
      ]);
      expect(issuesOf(withMembers([{ scenario: "clash.yaml", role: "R" }]), join(dir, "main.yaml"))).toEqual([
        "account.members[0].scenario: account 123456789012 of clash is already hosted by scenario ecommerce",
      ]);
      expect(issuesOf(withMembers([{ scenario: "named-ecommerce.yaml", role: "R" }]), join(dir, "main.yaml"))[0]).toMatch(
        /^account\.members\[0\]\.scenario: scenario name "ecommerce" is already in use/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a member that hosts members of its own or declares faults, and passes on a member's own mistakes with their path", () => {
    const dir = mkdtempSync(join(tmpdir(), "sim-members-"));
    try {
      writeFileSync(join(dir, "nested.yaml"), memberYaml("nested", "333344445555").replace('region: us-east-1 }', 'region: us-east-1, members: [{ scenario: ecommerce-staging, role: R }] }'));
      writeFileSync(join(dir, "faulty.yaml"), memberYaml("faulty", "333344445556", "faults:\n  - { kind: throttle, service: lambda }\n"));
      writeFileSync(join(dir, "broken.yaml"), memberYaml("broken", "333344445557").replace("memoryMb: 256", "memoryMb: 64"));
      const main = join(dir, "main.yaml");
      expect(issuesOf(withMembers([{ scenario: "nested.yaml", role: "R" }]), main)).toEqual([
        "account.members[0].scenario: nested declares account.members of its own; a member account cannot host members",
      ]);
      expect(issuesOf(withMembers([{ scenario: "faulty.yaml", role: "R" }]), main)).toEqual([
        "account.members[0].scenario: faulty declares faults; faults apply to every hosted account, so declare them in ecommerce",
      ]);
      const broken = issuesOf(withMembers([{ scenario: "broken.yaml", role: "R" }]), main);
      expect(broken).toHaveLength(1);
      expect(broken[0]).toMatch(/^account\.members\[0\]\.scenario: .*broken\.yaml: invalid scenario: functions\[0\]\.memoryMb: must be between 128 and 10240$/);
      expect(validationMessage(withMembers([{ scenario: "broken.yaml", role: "R" }])).startsWith("test.yaml: invalid scenario: account.members[0].scenario:")).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a generated fleet hosts no members", () => {
    const fleet = loadScenario("fleet:3");
    expect(fleet.account.members).toEqual([]);
  });
});
