import { ROLES, RoleSchema, type Role } from "@/lib/domain/access/roles";

/**
 * Which role wins when a person's groups map to several, first wins. `admin` holds every
 * permission and `engineer` can change live Lambda settings; `sre` and `finance` hold disjoint
 * permissions, so their order is a fixed choice that keeps the outcome independent of the
 * order of groups in the token. Someone who needs both should be given `admin` or two accounts.
 */
export const OIDC_ROLE_PRECEDENCE: readonly Role[] = ["admin", "engineer", "sre", "finance", "viewer"];

/** group name → Sightline role, from OIDC_ROLE_MAP. Group names are matched exactly (case-sensitive). */
export type OidcRoleMap = ReadonlyMap<string, Role>;

/** How an identity provider's groups become a Sightline role. */
export interface OidcRoleRules {
  /** Explicit entries; a group with an entry uses it even when its name is also a role name. */
  roleMap: OidcRoleMap;
  /** For a person none of whose groups maps to a role; null refuses them. */
  defaultRole: Role | null;
}

/** The outcome of parsing OIDC_ROLE_MAP: the map, or every entry at fault. */
export type ParseRoleMapResult = { ok: true; roleMap: OidcRoleMap } | { ok: false; problems: string[] };

/**
 * Parses `group=role,group=role`. Blank entries and surrounding spaces are ignored; a group
 * name may contain `=` (the last `=` separates the role) but not `,`. The same group twice
 * with different roles is an error rather than a silent last-wins.
 */
export function parseOidcRoleMap(text: string): ParseRoleMapResult {
  const roleMap = new Map<string, Role>();
  const problems: string[] = [];
  for (const raw of text.split(",")) {
    const entry = raw.trim();
    if (entry === "") continue;
    const at = entry.lastIndexOf("=");
    const group = at < 0 ? "" : entry.slice(0, at).trim();
    const roleText = at < 0 ? "" : entry.slice(at + 1).trim();
    if (group === "" || roleText === "") {
      problems.push(`"${entry}" must be group=role`);
      continue;
    }
    const role = RoleSchema.safeParse(roleText);
    if (!role.success) {
      problems.push(`"${entry}": "${roleText}" is not a role (${ROLES.join(", ")})`);
      continue;
    }
    const earlier = roleMap.get(group);
    if (earlier !== undefined && earlier !== role.data) {
      problems.push(`group "${group}" is mapped to both ${earlier} and ${role.data}`);
      continue;
    }
    roleMap.set(group, role.data);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, roleMap };
}

/**
 * The groups in an ID token's claim: a JSON array of strings (Cognito's `cognito:groups`,
 * Okta, Keycloak) or one string of names separated by spaces or commas. The claim is looked
 * up by its exact name first (names like `cognito:groups` contain no path), then as a dotted
 * path into nested objects (`realm_access.roles`). Missing or of another type: no groups.
 */
export function readOidcGroups(claims: Readonly<Record<string, unknown>>, claimName: string): string[] {
  const value = claimName in claims ? claims[claimName] : readPath(claims, claimName.split("."));
  const names = Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : typeof value === "string" ? value.split(/[\s,]+/) : [];
  return [...new Set(names.map((n) => n.trim()).filter(Boolean))];
}

function readPath(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Where a person's role came from, for logs and tests. */
export type OidcRoleResolution =
  | { kind: "role"; role: Role; source: { kind: "group"; group: string } | { kind: "default" } }
  | { kind: "no-role" };

/**
 * The role for a set of groups: each group maps through its OIDC_ROLE_MAP entry, or (without
 * an entry) to the role of the same name; the highest role by OIDC_ROLE_PRECEDENCE wins.
 * No group maps: the default role if there is one, else no role (sign-in is refused).
 */
export function resolveOidcRole(groups: readonly string[], rules: OidcRoleRules): OidcRoleResolution {
  let best: { role: Role; group: string } | null = null;
  for (const group of groups) {
    const role = rules.roleMap.get(group) ?? asRole(group);
    if (role === null) continue;
    if (best === null || OIDC_ROLE_PRECEDENCE.indexOf(role) < OIDC_ROLE_PRECEDENCE.indexOf(best.role)) best = { role, group };
  }
  if (best !== null) return { kind: "role", role: best.role, source: { kind: "group", group: best.group } };
  if (rules.defaultRole !== null) return { kind: "role", role: rules.defaultRole, source: { kind: "default" } };
  return { kind: "no-role" };
}

function asRole(name: string): Role | null {
  const parsed = RoleSchema.safeParse(name);
  return parsed.success ? parsed.data : null;
}

/**
 * The name Sightline shows and records (audit entries, "created by") for a person signed in
 * through OIDC: `preferred_username`, else `email`, else `sub` — the first non-blank string.
 * `sub` is always present in a valid ID token but is often an opaque id (a UUID in Cognito),
 * hence last. Null only for claims without any of the three.
 */
export function oidcSubject(claims: Readonly<Record<string, unknown>>): string | null {
  for (const name of ["preferred_username", "email", "sub"]) {
    const value = claims[name];
    if (typeof value === "string" && value.trim() !== "") return value.trim();
  }
  return null;
}
