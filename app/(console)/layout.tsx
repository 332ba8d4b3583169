import type { ReactNode } from "react";
import Link from "next/link";
import { redirect } from "next/navigation";
import { NavLink } from "@/app/(console)/_components/nav-link.client";
import { SignOutButton } from "@/app/(console)/_components/sign-out-button.client";
import { getSessionPrincipal } from "@/app/_server/session";
import { roleCan } from "@/lib/domain/access/roles";

/** Every signed-in page: the top bar (product, navigation, who is signed in) and the page. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  // The proxy already redirects anonymous visitors; this guards against a token it let
  // through that no longer parses (e.g. minted by an older build).
  const principal = await getSessionPrincipal();
  if (!principal) redirect("/signin");
  return (
    <div className="shell">
      <header className="topbar">
        <Link href="/" className="brand">
          Sightline
        </Link>
        <nav aria-label="Main" className="nav">
          <NavLink href="/">Overview</NavLink>
          <NavLink href="/slos">SLOs</NavLink>
          <NavLink href="/map">Service map</NavLink>
          <NavLink href="/functions">Functions</NavLink>
          <NavLink href="/cold-starts">Cold starts</NavLink>
          <NavLink href="/tuning">Tuning</NavLink>
          {roleCan(principal.role, "costs:read") ? <NavLink href="/costs">Costs</NavLink> : null}
          <NavLink href="/collectors">Collectors</NavLink>
        </nav>
        <div className="user" data-testid="signed-in-user">
          <span className="user-name">{principal.subject}</span>
          <span className="role-badge" title="Your role">
            {principal.role}
          </span>
          <SignOutButton />
        </div>
      </header>
      <main className="content" id="main">
        {children}
      </main>
    </div>
  );
}
