import Link from "next/link";
import { formatPresetShort, formatRangeLabel } from "@/app/(console)/_format/format";
import { RANGE_PRESETS, type RangePreset, type ResolvedTimeRange } from "@/lib/queries/time-range";

const PRESETS = Object.keys(RANGE_PRESETS) as RangePreset[];

/**
 * Preset time ranges as links (the range lives in the URL); none is current for a custom
 * from/to range. `hrefFor` builds each preset's link, keeping whatever else the page keeps in
 * its URL (sort, function, scope…).
 */
export function RangePicker({ range, hrefFor }: { range: ResolvedTimeRange; hrefFor: (preset: RangePreset) => string }) {
  return (
    <nav aria-label="Time range" className="range-picker" data-testid="range-picker">
      <ul>
        {PRESETS.map((preset) => (
          <li key={preset}>
            <Link href={hrefFor(preset)} className="range-option" aria-current={range.label === preset ? "true" : undefined} title={formatRangeLabel(preset, range.window)}>
              {formatPresetShort(preset)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
