import Link from "next/link";
import { SectionCard } from "@/app/(console)/_components/section-card";
import { formatCompactNumber, formatInteger } from "@/app/(console)/_format/format";
import { functionDetailHref } from "@/app/(console)/_format/links";
import { formatMicroUsdCell, formatMicroUsdExact, formatPerMillionUsd, formatUnitCostUsd } from "@/app/(console)/costs/cost-format";
import { describeSeries } from "@/app/(console)/costs/cost-words";
import styles from "@/app/(console)/costs/costs.module.css";
import { bucketId, type CostView } from "@/lib/domain/cost/cost-types";

const TOUCH_KIND_WORDS = { "api-gateway": "API Gateway", lambda: "Lambda", service: "service" } as const;

/**
 * What one unit of work costs: per function, its Lambda cost per invocation (and per million,
 * the scale prices are quoted at); per API route, what one request costs across every node it
 * touches (cost per order for `POST /orders`).
 */
export function CostUnitCosts({ view }: { view: CostView }) {
  const functions = [...view.unitCosts.functions].sort((a, b) => b.costMicroUsd - a.costMicroUsd);
  const routes = [...view.unitCosts.routes].sort((a, b) => b.requests - a.requests);
  return (
    <SectionCard testId="cost-unit-costs" title="Unit costs">
      <h3 className={styles.subheading}>Per API route request</h3>
      {routes.length === 0 ? (
        <p className="muted" data-testid="cost-routes-none">
          No traced API routes in the window: route costs need X-Ray service graphs.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="data-table" data-testid="cost-route-table">
            <caption className="visually-hidden">Cost per request of each API route and of the services each request touches</caption>
            <thead>
              <tr>
                <th scope="col">Route</th>
                <th scope="col" className="num">
                  Requests
                </th>
                <th scope="col" className="num">
                  Per request
                </th>
                <th scope="col">What a request touches</th>
              </tr>
            </thead>
            <tbody>
              {routes.map((r) => (
                <tr key={`${r.apiStage}|${r.route}`} data-testid="cost-route" data-route={r.route} data-usd-per-request={r.costPerRequestUsd}>
                  <th scope="row" className="fn-name">
                    {r.route}
                    <span className="fn-meta">
                      {r.apiStage} → {r.entryFunction}
                    </span>
                  </th>
                  <td className="num" title={formatInteger(r.requests)}>
                    {formatCompactNumber(r.requests)}
                  </td>
                  <td className="num">
                    <strong>{formatUnitCostUsd(r.costPerRequestUsd)}</strong>
                    <span className={styles.range}>{`${formatPerMillionUsd(r.costPerRequestUsd)} per 1M`}</span>
                  </td>
                  <td className={styles.wrap}>
                    <ul className={styles.touches}>
                      {r.touches.map((t) => (
                        <li key={`${t.kind}|${t.name}`}>
                          {t.kind === "lambda" ? <Link href={functionDetailHref({ functionName: t.name })}>{t.name}</Link> : t.name}
                          <span className="muted">{` (${TOUCH_KIND_WORDS[t.kind]}) ×${Number(t.callsPerRequest.toPrecision(3))}: ${formatUnitCostUsd(t.costPerRequestUsd)}`}</span>
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3 className={styles.subheading}>Per function invocation</h3>
      {functions.length === 0 ? (
        <p className="muted" data-testid="cost-function-units-none">
          No per-function Lambda lines in the window (Cost Explorer keeps them for the last 14 days).
        </p>
      ) : (
        <div className="table-wrap">
          <table className="data-table" data-testid="cost-function-unit-table">
            <caption className="visually-hidden">Each function&apos;s Lambda cost over the window and its cost per invocation, costliest first</caption>
            <thead>
              <tr>
                <th scope="col">Function</th>
                <th scope="col">Allocated to</th>
                <th scope="col" className="num">
                  Invocations
                </th>
                <th scope="col" className="num">
                  Cost
                </th>
                <th scope="col" className="num">
                  Per invocation
                </th>
              </tr>
            </thead>
            <tbody>
              {functions.map((f) => (
                <tr key={f.functionName} data-testid="cost-function-unit" data-function={f.functionName} data-micro-usd={f.costMicroUsd} data-usd-per-invocation={f.costPerInvocationUsd ?? undefined}>
                  <th scope="row" className="fn-name">
                    <Link href={functionDetailHref({ functionName: f.functionName })}>{f.functionName}</Link>
                  </th>
                  <td>{describeSeries(bucketId(f.bucket), view.buckets)}</td>
                  <td className="num" title={formatInteger(f.invocations)}>
                    {formatCompactNumber(f.invocations)}
                  </td>
                  <td className="num" title={formatMicroUsdExact(f.costMicroUsd)}>
                    {formatMicroUsdCell(f.costMicroUsd)}
                  </td>
                  <td className="num">
                    {formatUnitCostUsd(f.costPerInvocationUsd)}
                    {f.costPerInvocationUsd !== null ? <span className={styles.range}>{`${formatPerMillionUsd(f.costPerInvocationUsd)} per 1M`}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </SectionCard>
  );
}
