import Link from "next/link";
import { rangeHref } from "@/app/(console)/functions/functions-href";
import { formatPresetShort, formatRangeLabel } from "@/app/(console)/_format/format";
import type { FunctionSort } from "@/lib/queries/functions-view";
import { RANGE_PRESETS, type ResolvedTimeRange } from "@/lib/queries/time-range";

const PRESETS = Object.keys(RANGE_PRESETS);

/** Preset time ranges as links (the range lives in the URL); none is current for a custom from/to range. */
export function TimeRangePicker({ range, sort }: { range: ResolvedTimeRange; sort: FunctionSort }) {
  return (
    <nav aria-label="Time range" className="range-picker" data-testid="range-picker">
      <ul>
        {PRESETS.map((preset) => (
          <li key={preset}>
            <Link
              href={rangeHref(preset, sort)}
              className="range-option"
              aria-current={range.label === preset ? "true" : undefined}
              title={formatRangeLabel(preset, range.window)}
            >
              {formatPresetShort(preset)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
