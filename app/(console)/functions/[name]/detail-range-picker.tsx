import Link from "next/link";
import { functionDetailHref, type FunctionLinkTarget } from "@/app/(console)/functions/[name]/function-detail-href";
import { formatPresetShort, formatRangeLabel } from "@/app/(console)/_format/format";
import { RANGE_PRESETS, type ResolvedTimeRange } from "@/lib/queries/time-range";

const PRESETS = Object.keys(RANGE_PRESETS);

/** Preset ranges for one function's page, as links that keep the function's account and region. */
export function DetailRangePicker({ target, range }: { target: FunctionLinkTarget; range: ResolvedTimeRange }) {
  return (
    <nav aria-label="Time range" className="range-picker" data-testid="range-picker">
      <ul>
        {PRESETS.map((preset) => (
          <li key={preset}>
            <Link
              href={functionDetailHref(target, preset)}
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
