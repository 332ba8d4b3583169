import Link from "next/link";

/** A problem the user can fix from the page (bad URL parameters, missing permission). */
export function InlineError({ title, message, resetHref }: { title: string; message: string; resetHref?: string }) {
  return (
    <div className="banner banner-error" role="alert" data-testid="inline-error">
      <strong>{title}</strong>
      <p>{message}</p>
      {resetHref ? <Link href={resetHref}>Reset to the defaults</Link> : null}
    </div>
  );
}
