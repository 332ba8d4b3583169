import { ROLES, roleCan, type Role } from "@/lib/domain/access/roles";

/** The roles that may see costs, in words: "finance or admin" (from the role table, never hard-coded). */
export function describeCostReaders(): string {
  const readers = ROLES.filter((r) => roleCan(r, "costs:read"));
  return readers.length <= 1 ? readers.join("") : `${readers.slice(0, -1).join(", ")} or ${readers.at(-1)}`;
}

/** Why the Costs page shows nothing: "Your role (viewer) cannot see costs: finance or admin can". */
export function describeNoCostAccess(role: Role): string {
  return `Your role (${role}) cannot see costs: ${describeCostReaders()} can`;
}
