import Link from "next/link";
import { RangePicker } from "@/app/(console)/_components/range-picker";
import { formatWindowUtc } from "@/app/(console)/_format/format";
import { mapHref, type MapUrlState } from "@/app/(console)/map/map-href";
import styles from "@/app/(console)/map/service-map.module.css";
import type { MapCompare } from "@/app/_server/map-params";
import { AUTO_COLLAPSE_ABOVE_NODES, type MapGrouping } from "@/lib/domain/service-map/collapse-by-service";
import { baselineWindowOf, COMPARE_PRESETS, type ComparePreset } from "@/lib/domain/service-map/graph-diff";
import type { MapScopeOption } from "@/lib/queries/service-map-view";

/** Preset time ranges as links, keeping scope, baseline preset and grouping. */
export function MapRangePicker({ state }: { state: MapUrlState }) {
  return (
    <RangePicker
      range={state.range}
      hrefFor={(preset) =>
        mapHref(state, {
          range: { label: preset, window: state.range.window },
          // A custom baseline belongs to the custom range it was chosen for.
          compare: state.compare?.label === "custom" ? null : state.compare,
        })
      }
    />
  );
}

/** The account/region selector, shown when more than one scope is collected. */
export function ScopeSelector({ state, scopes }: { state: MapUrlState; scopes: MapScopeOption[] }) {
  return (
    <nav aria-label="Account and region" className={styles.control} data-testid="map-scope">
      <span className={styles.controlLabel}>Account</span>
      <ul>
        {scopes.map((scope) => {
          const current = state.scope?.accountId === scope.accountId && state.scope.region === scope.region;
          return (
            <li key={`${scope.accountId}#${scope.region}`}>
              <Link
                href={mapHref(state, { scope: { accountId: scope.accountId, region: scope.region } })}
                className={styles.option}
                aria-current={current ? "true" : undefined}
                title={`${scope.functionCount} functions, ${scope.tracedFunctionCount} with X-Ray active tracing`}
              >
                {scope.accountId} · {scope.region}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

const COMPARE_LABELS: Record<ComparePreset, string> = { previous: "Previous period", "1d": "Day before", "7d": "Week before" };

/** The baseline to compare with: none, the period before, a day or a week earlier (custom via baseFrom/baseTo). */
export function CompareControl({ state }: { state: MapUrlState }) {
  const options: { key: string; label: string; compare: MapCompare | null }[] = [
    { key: "none", label: "No comparison", compare: null },
    ...COMPARE_PRESETS.map((preset) => ({ key: preset, label: COMPARE_LABELS[preset], compare: { label: preset, window: baselineWindowOf(state.range.window, preset) } })),
  ];
  const currentKey = state.compare === null ? "none" : state.compare.label;
  return (
    <nav aria-label="Compare with a baseline" className={styles.control} data-testid="map-compare">
      <span className={styles.controlLabel}>Compare with</span>
      <ul>
        {options.map((option) => (
          <li key={option.key}>
            <Link
              href={mapHref(state, { compare: option.compare })}
              className={styles.option}
              aria-current={currentKey === option.key ? "true" : undefined}
              title={option.compare === null ? undefined : formatWindowUtc(option.compare.window)}
            >
              {option.label}
            </Link>
          </li>
        ))}
        {state.compare?.label === "custom" ? (
          <li>
            <span className={styles.option} aria-current="true">
              {formatWindowUtc(state.compare.window)}
            </span>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

const GROUPING_LABELS: Record<MapGrouping, string> = { auto: "Auto", service: "By service", none: "Every node" };

/** Collapse by service: automatic above a node count, always, or never. */
export function GroupingControl({ state }: { state: MapUrlState }) {
  return (
    <nav aria-label="Grouping" className={styles.control} data-testid="map-grouping">
      <span className={styles.controlLabel}>Group</span>
      <ul>
        {(["auto", "service", "none"] as const).map((grouping) => (
          <li key={grouping}>
            <Link
              href={mapHref(state, { grouping })}
              className={styles.option}
              aria-current={state.grouping === grouping ? "true" : undefined}
              title={grouping === "auto" ? `Collapse by service above ${AUTO_COLLAPSE_ABOVE_NODES} nodes` : undefined}
            >
              {GROUPING_LABELS[grouping]}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
