import { SectionCard } from "@/app/(console)/_components/section-card";
import { formatConfigSource, formatExecutions, formatSourceTitle } from "@/app/(console)/functions/[name]/detail-format";
import styles from "@/app/(console)/functions/[name]/function-detail.module.css";
import { MISSING, formatInteger, formatMemoryMb } from "@/app/(console)/_format/format";
import type { ConfigField, ConfigRow, ConfigValue } from "@/lib/queries/function-detail-view";

const LABELS: Record<ConfigField, string> = {
  runtime: "Runtime",
  architecture: "Architecture",
  memory: "Memory",
  timeout: "Timeout",
  "ephemeral-storage": "Ephemeral storage",
  "package-type": "Package type",
  "snap-start": "SnapStart",
  layers: "Layers",
  tracing: "X-Ray tracing",
  "last-modified": "Last modified",
  tags: "Tags",
  "reserved-concurrency": "Reserved concurrency",
  "provisioned-concurrency": "Provisioned concurrency",
  aliases: "Aliases",
  versions: "Published versions",
  "account-concurrency-limit": "Account concurrency limit (region)",
  "unreserved-concurrency": "Unreserved concurrency (region)",
};

/** What an empty value means, per field: "none set" reads differently from "not collected". */
const NONE: Partial<Record<ConfigField, string>> = {
  layers: "No layers",
  tags: "Untagged — its cost cannot be allocated to a team",
  "reserved-concurrency": "None — draws on the account's unreserved pool",
  "provisioned-concurrency": "None",
  aliases: "None",
  versions: "None published (only $LATEST)",
  "account-concurrency-limit": "Not collected yet",
  "unreserved-concurrency": "Not collected yet",
};

const TEXT_WORDS: Partial<Record<ConfigField, Record<string, string>>> = {
  "snap-start": { PublishedVersions: "On (published versions)", None: "Off" },
  tracing: { Active: "Active (traces sampled requests)", PassThrough: "PassThrough (only when the caller traces)" },
};

function ConfigValueView({ field, value }: { field: ConfigField; value: ConfigValue }) {
  const none = <span className="muted">{NONE[field] ?? MISSING}</span>;
  switch (value.kind) {
    case "text":
      return value.text === null ? none : <>{TEXT_WORDS[field]?.[value.text] ?? value.text}</>;
    case "megabytes":
      return <>{formatMemoryMb(value.memoryMb)}</>;
    case "seconds":
      return <>{`${formatInteger(value.seconds)} s`}</>;
    case "executions":
      return value.executions === null ? none : <>{formatExecutions(value.executions)}</>;
    case "list":
      return value.items.length === 0 ? (
        none
      ) : (
        <ul className={styles.valueList}>
          {value.items.map((item) => (
            <li key={item} className={styles.mono}>
              {item}
            </li>
          ))}
        </ul>
      );
    case "tags":
      return value.tags.length === 0 ? (
        none
      ) : (
        <ul className={styles.valueList}>
          {value.tags.map((tag) => (
            <li key={tag.key}>
              <code>{tag.key}</code> = {tag.value}
            </li>
          ))}
        </ul>
      );
    case "provisioned":
      return value.configs.length === 0 ? (
        none
      ) : (
        <ul className={styles.valueList}>
          {value.configs.map((pc) => (
            <li key={pc.qualifier}>
              <code>{pc.qualifier}</code>: {formatInteger(pc.allocated)} allocated of {formatInteger(pc.requested)} requested ({pc.status})
            </li>
          ))}
        </ul>
      );
    case "aliases":
      return value.aliases.length === 0 ? (
        none
      ) : (
        <ul className={styles.valueList}>
          {value.aliases.map((alias) => (
            <li key={alias.name}>
              <code>{alias.name}</code> → version {alias.functionVersion}
            </li>
          ))}
        </ul>
      );
    case "versions":
      return value.versions.length === 0 ? (
        none
      ) : (
        <ul className={styles.valueList}>
          {value.versions.map((v) => (
            <li key={v.version}>
              {v.version}: {formatMemoryMb(v.memoryMb)}, {v.architecture}, {v.runtime ?? MISSING}
            </li>
          ))}
        </ul>
      );
  }
}

/** The function's configuration, one row per value, each saying which API it was read with and when. */
export function ConfigSection({ rows, functionArn, nowMs }: { rows: ConfigRow[]; functionArn: string; nowMs: number }) {
  return (
    <SectionCard testId="function-config" title="Configuration" wide aside={<span className={`${styles.mono} muted`}>{functionArn}</span>}>
      <table className={styles.configTable}>
        <caption className="visually-hidden">Configuration values and the API each was read with</caption>
        <tbody>
          {rows.map((row) => (
            <tr key={row.field} data-testid="config-row" data-field={row.field}>
              <th scope="row">{LABELS[row.field]}</th>
              <td>
                <ConfigValueView field={row.field} value={row.value} />
              </td>
              <td className={styles.configSource} title={formatSourceTitle(row.source)}>
                {formatConfigSource(row.source, nowMs)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </SectionCard>
  );
}
