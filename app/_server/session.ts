import { getServerSession } from "next-auth";
import { z } from "zod";
import { authOptions } from "@/app/_server/auth";
import { RoleSchema } from "@/lib/domain/access/roles";
import type { Principal } from "@/lib/use-cases/authenticate";

const SessionSchema = z.object({ user: z.object({ name: z.string().min(1), role: RoleSchema }) });

/** The signed-in user of this request (pages, layouts and API routes), or null. */
export async function getSessionPrincipal(): Promise<Principal | null> {
  const parsed = SessionSchema.safeParse(await getServerSession(authOptions));
  return parsed.success ? { subject: parsed.data.user.name, role: parsed.data.user.role, via: "session" } : null;
}
