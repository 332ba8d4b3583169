import { SectionCard } from "@/app/(console)/_components/section-card";
import { formatMicroUsd } from "@/app/(console)/costs/cost-format";
import styles from "@/app/(console)/costs/costs.module.css";
import type { CostView, SplitRule } from "@/lib/domain/cost/cost-types";

/** A split rule in words: "evenly", "in proportion to tagged cost", "fixed: payments 60%, search 40%". */
export function describeSplitRule(rule: SplitRule): string {
  if (rule.method === "even") return "evenly among the values with tagged cost that day";
  if (rule.method === "proportional") {
    const basis = rule.basis === "cost" ? "tagged cost" : rule.basis === "requests" ? "Lambda requests" : "Lambda GB-seconds";
    return `in proportion to each value's ${basis}`;
  }
  return `fixed: ${Object.entries(rule.percentages)
    .map(([value, percent]) => `${value} ${percent}%`)
    .join(", ")}`;
}

/** How the bill was allocated: the shared-cost pools and their rules, and what could not go by the rules. */
export function CostAllocationNotes({ view }: { view: CostView }) {
  return (
    <SectionCard testId="cost-allocation" title="How the bill was allocated">
      <p className={styles.legendNote}>
        {`Tagged cost goes to its ${view.groupBy === "service" ? "service" : "tag value"}; untagged cost of a pool's services is shared by the pool's rule (${formatMicroUsd(view.totals.sharedMicroUsd)} in this window); the rest is unallocated; unused provisioned concurrency is moved to idle. The buckets add up to the bill to the micro-dollar.`}
      </p>
      {view.pools.length === 0 ? (
        <p className="muted">No shared-cost pools are configured: all untagged cost is unallocated.</p>
      ) : (
        <div className={`table-wrap ${styles.innerTable}`}>
          <table className="data-table" data-testid="cost-pools">
            <caption className="visually-hidden">Shared-cost pools: the services whose untagged cost each pool takes and how it splits it</caption>
            <thead>
              <tr>
                <th scope="col">Pool</th>
                <th scope="col">Services</th>
                <th scope="col">Tag key</th>
                <th scope="col">Split</th>
              </tr>
            </thead>
            <tbody>
              {view.pools.map((pool) => (
                <tr key={pool.name} data-testid="cost-pool" data-pool={pool.name}>
                  <th scope="row">{pool.name}</th>
                  <td className={styles.wrap}>{pool.services.join(", ")}</td>
                  <td>{pool.tagKey === "*" ? "every key" : pool.tagKey}</td>
                  <td className={styles.wrap}>{describeSplitRule(pool.rule)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {view.notes.length > 0 ? (
        <ul className={styles.notes} data-testid="cost-notes">
          {view.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
    </SectionCard>
  );
}
