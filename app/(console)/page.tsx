import { redirect } from "next/navigation";

/** The console opens on the fleet table. */
export default function HomePage(): never {
  redirect("/functions");
}
