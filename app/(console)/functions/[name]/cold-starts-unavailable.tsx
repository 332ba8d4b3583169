import { SectionCard } from "@/app/(console)/_components/section-card";

/**
 * Stands in for the cold-start section when its view could not be built for this function
 * (it left inventory between the two reads), so the page says so instead of leaving a gap.
 */
export function ColdStartsUnavailable() {
  return (
    <SectionCard testId="function-cold-starts-unavailable" title="Cold starts">
      <p className="muted">Cold starts cannot be shown: the function was not in inventory when they were read. Reload the page.</p>
    </SectionCard>
  );
}
