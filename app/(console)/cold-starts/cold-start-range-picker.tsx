import Link from "next/link";
import { formatPresetShort, formatRangeLabel } from "@/app/(console)/_format/format";
import { coldStartsPresetHref } from "@/app/(console)/cold-starts/cold-starts-href";
import type { FunctionRef } from "@/lib/domain/shared/ids";
import { RANGE_PRESETS, type ResolvedTimeRange } from "@/lib/queries/time-range";

const PRESETS = Object.keys(RANGE_PRESETS);

/** Preset time ranges as links (the range lives in the URL), keeping the open function; none is current for a custom range. */
export function ColdStartRangePicker({ range, target }: { range: ResolvedTimeRange; target: FunctionRef | null }) {
  return (
    <nav aria-label="Time range" className="range-picker" data-testid="range-picker">
      <ul>
        {PRESETS.map((preset) => (
          <li key={preset}>
            <Link
              href={coldStartsPresetHref(preset, target)}
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
