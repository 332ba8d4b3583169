"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";

/** Ends the session, then loads the sign-in page on this same origin. */
export function SignOutButton() {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      className="button button-quiet"
      disabled={pending}
      onClick={async () => {
        setPending(true);
        await signOut({ redirect: false });
        window.location.assign("/signin");
      }}
    >
      {pending ? "Signing out…" : "Sign out"}
    </button>
  );
}
