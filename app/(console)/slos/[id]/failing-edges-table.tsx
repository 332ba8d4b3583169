import { formatCompactNumber, formatInteger } from "@/app/(console)/_format/format";
import type { SloContributors } from "@/lib/queries/slos-view";

/** Calls out of the target's functions that failed (X-Ray edges), most failures first. */
export function FailingEdgesTable({ edges }: { edges: SloContributors["edges"] }) {
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="slo-failing-edges">
        <caption className="visually-hidden">Downstream calls with failures over the range, from X-Ray</caption>
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col" className="num">Requests</th>
            <th scope="col" className="num">Failed</th>
            <th scope="col" className="num" title="5xx: the callee failed">
              Faults
            </th>
            <th scope="col" className="num" title="4xx: the caller's request was refused">
              Errors
            </th>
            <th scope="col" className="num">Throttles</th>
          </tr>
        </thead>
        <tbody>
          {edges.map((edge) => (
            <tr key={`${edge.fromFunction}→${edge.toName}→${edge.toType}`} data-testid="slo-failing-edge" data-from={edge.fromFunction} data-to={edge.toName}>
              <th scope="row" className="fn-name">
                {edge.fromFunction}
              </th>
              <td>
                {edge.toName}
                <span className="fn-meta">{edge.toType}</span>
              </td>
              <td className="num" data-value={edge.requests} title={formatInteger(edge.requests)}>
                {formatCompactNumber(edge.requests)}
              </td>
              <td className="num" data-value={edge.failed}>
                {formatInteger(edge.failed)}
              </td>
              <td className={edge.faults === 0 ? "num zero" : "num"}>{formatInteger(edge.faults)}</td>
              <td className={edge.errors === 0 ? "num zero" : "num"}>{formatInteger(edge.errors)}</td>
              <td className={edge.throttles === 0 ? "num zero" : "num"}>{formatInteger(edge.throttles)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
