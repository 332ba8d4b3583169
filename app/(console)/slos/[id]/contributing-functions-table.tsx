import Link from "next/link";
import { formatCompactNumber, formatInteger, formatPercent } from "@/app/(console)/_format/format";
import { functionDetailHref } from "@/app/(console)/_format/links";
import type { SloContributors } from "@/lib/queries/slos-view";
import type { ResolvedTimeRange } from "@/lib/queries/time-range";

/** The target's functions, most bad events first, with their share of all bad events in the range. */
export function ContributingFunctionsTable({
  functions,
  scope,
  range,
}: {
  functions: SloContributors["functions"];
  scope: { accountId: string; region: string };
  range: ResolvedTimeRange;
}) {
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="slo-contributing-functions">
        <caption className="visually-hidden">Functions of the target by bad events over the range</caption>
        <thead>
          <tr>
            <th scope="col">Function</th>
            <th scope="col" className="num">Bad events</th>
            <th scope="col" className="num">Events</th>
            <th scope="col" className="num" title="This function's share of all bad events of the target in the range">
              Share of bad
            </th>
          </tr>
        </thead>
        <tbody>
          {functions.map((f) => (
            <tr key={f.functionName} data-testid="slo-contributor" data-function={f.functionName}>
              <th scope="row" className="fn-name">
                <Link href={functionDetailHref({ functionName: f.functionName, ...scope }, range)}>{f.functionName}</Link>
              </th>
              <td className={f.bad === 0 ? "num zero" : "num"} data-value={f.bad} title={formatInteger(f.bad)}>
                {formatCompactNumber(f.bad)}
              </td>
              <td className="num" data-value={f.total} title={formatInteger(f.total)}>
                {formatCompactNumber(f.total)}
              </td>
              <td className="num" data-value={f.badShare ?? ""}>
                {formatPercent(f.badShare)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
