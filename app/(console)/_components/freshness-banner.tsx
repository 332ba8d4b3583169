import type { Freshness } from "@/app/(console)/_format/freshness";

/** The data-freshness line; a warning is announced to screen readers as a status change. */
export function FreshnessBanner({ freshness }: { freshness: Freshness }) {
  if (freshness.tone === "ok") {
    return (
      <p className="freshness" data-testid="freshness">
        <span className="dot dot-ok" aria-hidden="true" />
        {freshness.message}
      </p>
    );
  }
  return (
    <div className="banner banner-warning" role="status" data-testid="freshness-warning">
      <strong>Heads up.</strong> {freshness.message}
    </div>
  );
}
