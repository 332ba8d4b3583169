import { describe, expect, it } from "vitest";
import { describeSignInError } from "@/app/signin/callback-path";
import { OIDC_NO_ROLE } from "@/app/signin/oidc-codes";
import {
  OIDC_ROLE_PRECEDENCE,
  oidcSubject,
  parseOidcRoleMap,
  readOidcGroups,
  resolveOidcRole,
  type OidcRoleRules,
} from "@/lib/domain/access/oidc-roles";
import { ROLES, type Role } from "@/lib/domain/access/roles";

function rules(map: Record<string, Role> = {}, defaultRole: Role | null = null): OidcRoleRules {
  return { roleMap: new Map(Object.entries(map)), defaultRole };
}

describe("readOidcGroups", () => {
  it.each<[string, Record<string, unknown>, string, string[]]>([
    ["an array claim", { groups: ["sre", "ops"] }, "groups", ["sre", "ops"]],
    ["Cognito's claim name with a colon", { "cognito:groups": ["finance-team"] }, "cognito:groups", ["finance-team"]],
    ["a space-separated string", { groups: "sre  ops" }, "groups", ["sre", "ops"]],
    ["a comma-separated string", { groups: "sre, ops,finance" }, "groups", ["sre", "ops", "finance"]],
    ["a one-group string", { roles: "admin" }, "roles", ["admin"]],
    ["a nested claim by dotted path", { realm_access: { roles: ["engineer"] } }, "realm_access.roles", ["engineer"]],
    ["non-string entries dropped, duplicates once", { groups: ["sre", 7, null, "sre", " ops "] }, "groups", ["sre", "ops"]],
    ["a missing claim", { email: "a@example.com" }, "groups", []],
    ["a claim of another type", { groups: { sre: true } }, "groups", []],
    ["an empty string", { groups: "" }, "groups", []],
  ])("reads %s", (_, claims, claimName, expected) => {
    expect(readOidcGroups(claims, claimName)).toEqual(expected);
  });
});

describe("resolveOidcRole", () => {
  it.each<[string, string[], OidcRoleRules, Role | null]>([
    ["a group named exactly like a role, without an entry", ["finance"], rules(), "finance"],
    ["a group mapped by OIDC_ROLE_MAP", ["cost-team"], rules({ "cost-team": "finance" }), "finance"],
    ["an explicit entry over a group's role-like name", ["admin"], rules({ admin: "viewer" }), "viewer"],
    ["group names case-sensitively", ["Admin", "FINANCE"], rules(), null],
    ["admin over every other role", ["viewers", "devs", "ops", "money", "root"], rules({ viewers: "viewer", devs: "engineer", ops: "sre", money: "finance", root: "admin" }), "admin"],
    ["engineer over sre", ["ops", "devs"], rules({ ops: "sre", devs: "engineer" }), "engineer"],
    ["sre over finance, whatever the order in the token", ["money", "ops"], rules({ ops: "sre", money: "finance" }), "sre"],
    ["finance over viewer", ["viewer", "money"], rules({ money: "finance" }), "finance"],
    ["the default role when no group maps", ["marketing"], rules({ ops: "sre" }, "viewer"), "viewer"],
    ["a mapped group over the default role", ["ops"], rules({ ops: "sre" }, "viewer"), "sre"],
    ["the default role without any group", [], rules({}, "viewer"), "viewer"],
    ["no role when no group maps and there is no default", ["marketing", "everyone"], rules({ ops: "sre" }), null],
    ["no role without any group", [], rules(), null],
  ])("gives %s", (_, groups, roleRules, expected) => {
    const resolution = resolveOidcRole(groups, roleRules);
    expect(resolution.kind === "role" ? resolution.role : null).toBe(expected);
  });

  it("says which group gave the role, or that the default did", () => {
    expect(resolveOidcRole(["money", "ops"], rules({ ops: "sre", money: "finance" }))).toEqual({ kind: "role", role: "sre", source: { kind: "group", group: "ops" } });
    expect(resolveOidcRole(["marketing"], rules({}, "viewer"))).toEqual({ kind: "role", role: "viewer", source: { kind: "default" } });
  });

  it("ranks every role exactly once", () => {
    expect([...OIDC_ROLE_PRECEDENCE].sort()).toEqual([...ROLES].sort());
    expect(OIDC_ROLE_PRECEDENCE).toEqual(["admin", "engineer", "sre", "finance", "viewer"]);
  });
});

describe("parseOidcRoleMap", () => {
  it("reads group=role entries, ignoring spaces and blank entries", () => {
    const parsed = parseOidcRoleMap(" sightline-finance = finance,,platform=engineer , ");
    expect(parsed.ok && [...parsed.roleMap]).toEqual([
      ["sightline-finance", "finance"],
      ["platform", "engineer"],
    ]);
  });

  it("splits at the last = so a group name may contain one", () => {
    const parsed = parseOidcRoleMap("team=ops=sre");
    expect(parsed.ok && [...parsed.roleMap]).toEqual([["team=ops", "sre"]]);
  });

  it("accepts the same entry twice", () => {
    expect(parseOidcRoleMap("ops=sre,ops=sre").ok).toBe(true);
  });

  it.each([
    ["ops", /"ops" must be group=role/],
    ["=sre", /"=sre" must be group=role/],
    ["ops=", /"ops=" must be group=role/],
    ["ops=superuser", /"superuser" is not a role \(viewer, sre, finance, engineer, admin\)/],
    ["ops=sre,ops=admin", /group "ops" is mapped to both sre and admin/],
  ])("refuses %j", (text, message) => {
    const parsed = parseOidcRoleMap(text);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.problems).toEqual([expect.stringMatching(message)]);
  });

  it("names every bad entry at once", () => {
    const parsed = parseOidcRoleMap("a=boss,b,c=sre");
    expect(parsed.ok ? [] : parsed.problems).toHaveLength(2);
  });
});

describe("oidcSubject", () => {
  it.each<[string, Record<string, unknown>, string | null]>([
    ["preferred_username first", { preferred_username: "fiona", email: "fiona@example.com", sub: "8f1c" }, "fiona"],
    ["email without preferred_username", { email: "fiona@example.com", sub: "8f1c" }, "fiona@example.com"],
    ["sub as the last resort", { sub: "8f1c-uuid" }, "8f1c-uuid"],
    ["blank values skipped", { preferred_username: "  ", email: "", sub: "8f1c" }, "8f1c"],
    ["non-strings skipped", { preferred_username: 42, sub: "8f1c" }, "8f1c"],
    ["null without any", { name: "Fiona" }, null],
  ])("takes %s", (_, claims, expected) => {
    expect(oidcSubject(claims)).toBe(expected);
  });
});

describe("the sign-in page's OIDC messages", () => {
  it("tells a person without a role what to ask for, not a generic failure", () => {
    expect(describeSignInError(OIDC_NO_ROLE)).toMatch(/none of your groups gives you a Sightline role\. Ask an administrator/);
  });

  it("tells an unreachable identity provider apart from a failed or cancelled answer", () => {
    expect(describeSignInError("OAuthSignin")).toMatch(/could not be reached/);
    expect(describeSignInError("OAuthCallback")).toMatch(/did not complete/);
    expect(describeSignInError("CredentialsSignin")).toBe("Wrong username or password.");
  });
});
