"use client";

/**
 * Shown when a console page fails unexpectedly. Production builds pass only a digest for
 * server errors; the server log has the details under the same digest.
 */
export default function ConsoleError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = typeof error === "object" && error !== null && "digest" in error ? String(error.digest) : null;
  return (
    <div className="banner banner-error" role="alert">
      <strong>This page could not be loaded.</strong>
      <p>
        Something went wrong on the server while reading the data. It is often temporary — try again in a moment.
        {digest ? (
          <>
            {" "}
            Reference: <code>{digest}</code>
          </>
        ) : null}
      </p>
      <button type="button" className="button" onClick={() => retry()}>
        Try again
      </button>
    </div>
  );
}
