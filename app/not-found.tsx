import Link from "next/link";

/** Any URL the console does not have. */
export default function NotFound() {
  return (
    <main className="centered">
      <div className="card">
        <h1>Page not found</h1>
        <p>There is nothing at this address.</p>
        <Link href="/functions">Go to Functions</Link>
      </div>
    </main>
  );
}
