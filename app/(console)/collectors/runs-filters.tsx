import Link from "next/link";
import styles from "@/app/(console)/collectors/collectors.module.css";
import { collectorsHref } from "@/app/(console)/collectors/collectors-href";
import { COLLECTOR_NAMES } from "@/lib/domain/collection/collector-run";
import type { CollectorRunsParams } from "@/lib/queries/collectors-view";

/** One group of filter links (the value lives in the URL); `undefined` is "all". */
function FilterGroup({ label, param, options, params }: { label: string; param: "collector" | "outcome"; options: readonly { value: string | undefined; text: string }[]; params: CollectorRunsParams }) {
  const current = params[param];
  return (
    <nav aria-label={label} className="range-picker" data-testid={`${param}-filter`}>
      <ul>
        {options.map((option) => (
          <li key={option.text}>
            <Link href={collectorsHref(params, { [param]: option.value })} className="range-option" aria-current={current === option.value ? "true" : undefined}>
              {option.text}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

const COLLECTOR_OPTIONS = [{ value: undefined, text: "All" }, ...COLLECTOR_NAMES.map((name) => ({ value: name, text: name }))];
const OUTCOME_OPTIONS = [
  { value: undefined, text: "Any outcome" },
  { value: "failed", text: "Failed only" },
];

/** Filters of the runs list: which collector, and failed runs only. */
export function RunsFilters({ params }: { params: CollectorRunsParams }) {
  return (
    <div className={styles.filters}>
      <FilterGroup label="Collector" param="collector" options={COLLECTOR_OPTIONS} params={params} />
      <FilterGroup label="Outcome" param="outcome" options={OUTCOME_OPTIONS} params={params} />
    </div>
  );
}
