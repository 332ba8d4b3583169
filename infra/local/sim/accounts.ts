import { dirname, join } from "node:path";
import { resolveMemberAccounts } from "./load-scenario";
import type { Scenario } from "./scenario-schema";

/**
 * The accounts one simulator hosts: the scenario's own (the primary, reached with any static
 * credentials) and its member accounts (`account.members`, reached by assuming the declared
 * role with STS AssumeRole). Each is a complete simulated account built from its own scenario.
 */

/** An account as the product's configuration lists it (`SIGHTLINE_ACCOUNTS`). */
export interface HostedAccount {
  accountId: string;
  /** The role to assume in it; null for the primary (the caller's own account). */
  roleArn: string | null;
}

/** A hosted account with the scenario it is simulated from. */
export interface HostedAccountScenario extends HostedAccount {
  /** IAM role name declared for it; null for the primary. */
  roleName: string | null;
  /** The ExternalId its role requires (`externalId` of the member entry); null: none (and for the primary). */
  externalId: string | null;
  scenario: Scenario;
}

/** `arn:aws:iam::<account>:role/<name>`. */
export function roleArnOf(accountId: string, roleName: string): string {
  return `arn:aws:iam::${accountId}:role/${roleName}`;
}

/**
 * Every account the scenario makes the simulator host, the primary first. Member scenarios
 * not read yet (a scenario built in code rather than by `loadScenario`) are read here.
 * @throws ScenarioError when a member scenario cannot be read.
 */
export function hostedAccountScenarios(scenario: Scenario): HostedAccountScenario[] {
  const members = (scenario.memberAccounts === undefined ? resolveMemberAccounts(scenario) : scenario).memberAccounts ?? [];
  return [
    { accountId: scenario.account.id, roleArn: null, roleName: null, externalId: null, scenario },
    ...members.map((member) => ({
      accountId: member.scenario.account.id,
      roleArn: roleArnOf(member.scenario.account.id, member.role),
      roleName: member.role,
      externalId: member.externalId,
      scenario: member.scenario,
    })),
  ];
}

/**
 * The accounts the simulator hosts for this scenario, as `[{ accountId, roleArn }]` with
 * `roleArn: null` for the primary — what a multi-account collector is configured with.
 * @throws ScenarioError when a member scenario cannot be read.
 */
export function hostedAccounts(scenario: Scenario): HostedAccount[] {
  return hostedAccountScenarios(scenario).map(({ accountId, roleArn }) => ({ accountId, roleArn }));
}

/**
 * The accounts in the `SIGHTLINE_ACCOUNTS` format: `<primary>,<member>=<role ARN>,…`.
 */
export function formatAccountsSetting(accounts: readonly HostedAccount[]): string {
  return accounts.map(({ accountId, roleArn }) => (roleArn === null ? accountId : `${accountId}=${roleArn}`)).join(",");
}

/**
 * Where a member account keeps its state: `<scenario>-<seed>.json` beside the primary's state
 * file (the same naming `sightline sim --state-dir` uses for the primary).
 */
export function memberStateFile(primaryStateFile: string, memberScenarioName: string, seed: number): string {
  return join(dirname(primaryStateFile), `${memberScenarioName}-${seed}.json`);
}
