import { z } from "zod";

/** Every role Sightline knows, least to most privileged in what they may change. */
export const ROLES = ["viewer", "sre", "finance", "engineer", "admin"] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/**
 * What a caller may do; each API route and page names the permission it needs. `costs:write`
 * edits shared-cost pools and budgets.
 */
export type Permission = "fleet:read" | "costs:read" | "costs:write" | "slos:write" | "tuning:apply" | "tokens:create" | "users:manage";

const GRANTS: Record<Role, readonly Permission[]> = {
  viewer: ["fleet:read"],
  sre: ["fleet:read", "slos:write"],
  finance: ["fleet:read", "costs:read", "costs:write"],
  engineer: ["fleet:read", "tuning:apply"],
  admin: ["fleet:read", "costs:read", "costs:write", "slos:write", "tuning:apply", "tokens:create", "users:manage"],
};

/** Whether a role holds a permission. */
export function roleCan(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}
