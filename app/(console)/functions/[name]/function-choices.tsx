import Link from "next/link";
import { functionDetailHref } from "@/app/(console)/_format/links";
import styles from "@/app/(console)/functions/[name]/function-detail.module.css";
import { formatMemoryMb } from "@/app/(console)/_format/format";
import type { FunctionChoice } from "@/lib/queries/function-lookup";
import type { ResolvedTimeRange } from "@/lib/queries/time-range";

/** One link per account/region a function name exists in; `hrefOf` says which page each opens. */
export function FunctionChoiceLinks({ choices, hrefOf }: { choices: FunctionChoice[]; hrefOf: (choice: FunctionChoice) => string }) {
  return (
    <ul className={styles.choices}>
      {choices.map((c) => (
        <li key={`${c.accountId}#${c.region}`} data-testid="function-choice">
          <Link href={hrefOf(c)}>
            {c.functionName} in account {c.accountId}, {c.region}
          </Link>{" "}
          <span className="muted">
            {c.runtime ?? "container image"} · {formatMemoryMb(c.memoryMb)}
          </span>
        </li>
      ))}
    </ul>
  );
}

function ChoiceLinks({ choices, range }: { choices: FunctionChoice[]; range: ResolvedTimeRange }) {
  return <FunctionChoiceLinks choices={choices} hrefOf={(c) => functionDetailHref({ functionName: c.functionName, accountId: c.accountId, region: c.region }, range)} />;
}

/** The name exists in several accounts/regions: one link per place. */
export function FunctionAmbiguous({ functionName, choices, range }: { functionName: string; choices: FunctionChoice[]; range: ResolvedTimeRange }) {
  return (
    <div className="empty-state" data-testid="function-ambiguous">
      <h1>{functionName}</h1>
      <p>
        A function of this name exists in {choices.length} accounts or regions. Which one?
      </p>
      <ChoiceLinks choices={choices} range={range} />
    </div>
  );
}

/** No function of that name was collected (where asked); links to where it does exist, if anywhere. */
export function FunctionNotFound({
  functionName,
  scope,
  elsewhere,
  range,
}: {
  functionName: string;
  scope: string | null;
  elsewhere: FunctionChoice[];
  range: ResolvedTimeRange;
}) {
  return (
    <div className="empty-state" data-testid="function-not-found">
      <h1>Function not found</h1>
      <p>
        No function named <code>{functionName}</code>
        {scope ? ` in ${scope}` : ""} has been collected. It may have been deleted, or the inventory collector has not listed it yet.
      </p>
      {elsewhere.length > 0 ? (
        <>
          <p>A function of this name exists elsewhere:</p>
          <ChoiceLinks choices={elsewhere} range={range} />
        </>
      ) : null}
      <p>
        <Link href={`/functions?range=${range.label === "custom" ? "24h" : range.label}`}>Back to all functions</Link>
      </p>
    </div>
  );
}
