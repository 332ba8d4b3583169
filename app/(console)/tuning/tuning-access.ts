import { ROLES, roleCan, type Role } from "@/lib/domain/access/roles";

/** The roles that may apply and roll back tuning changes, in words: "engineer or admin". */
export function describeTuningAppliers(): string {
  const appliers = ROLES.filter((r) => roleCan(r, "tuning:apply"));
  return appliers.length <= 1 ? appliers.join("") : `${appliers.slice(0, -1).join(", ")} or ${appliers.at(-1)}`;
}

/** Why the Apply / Roll back buttons are disabled: "Your role (viewer) cannot apply changes: engineer or admin can". */
export function describeNoApplyReason(role: Role): string {
  return `Your role (${role}) cannot apply changes: ${describeTuningAppliers()} can`;
}
