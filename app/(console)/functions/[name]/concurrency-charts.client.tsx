"use client";

import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame } from "@/app/(console)/_components/chart-frame";
import { formatChartTick } from "@/app/(console)/functions/[name]/detail-format";
import styles from "@/app/(console)/functions/[name]/function-detail.module.css";
import { formatDateTimeUtc, formatInteger } from "@/app/(console)/_format/format";

export interface ConcurrencyChartsProps {
  functionPoints: { timestampMs: number; maxConcurrentExecutions: number | null }[];
  regionPoints: {
    timestampMs: number;
    claimedAccountConcurrency: number | null;
    unreservedConcurrentExecutions: number | null;
    concurrentExecutions: number | null;
  }[];
  /** Drawn as a line on the function's chart: its reservation, or null. */
  reservedConcurrency: number | null;
  /** Allocated provisioned concurrency (0: none). */
  provisionedExecutions: number;
  accountLimitExecutions: number | null;
  /** The range charted (ticks read differently for a day and for two weeks). */
  window: { fromMs: number; toMs: number };
}

/** The function's peak concurrency per step against its limits, and the account's region for context (client-only). */
export function ConcurrencyCharts(props: ConcurrencyChartsProps) {
  const tick = (value: number) => formatChartTick(value, props.window);
  const label = (value: unknown) => (typeof value === "number" ? formatDateTimeUtc(value) : String(value));
  const value = (v: unknown) => (typeof v === "number" ? formatInteger(v) : String(v));
  return (
    <div className={styles.charts}>
      <ChartFrame title="This function: max concurrent executions" label="The function's maximum concurrent executions over the range, with its limits">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={props.functionPoints} margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--border)" vertical={false} />
            <XAxis dataKey="timestampMs" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={tick} minTickGap={40} fontSize={11} />
            <YAxis width={44} fontSize={11} allowDecimals={false} />
            <Tooltip labelFormatter={label} formatter={value} />
            <Line type="stepAfter" dataKey="maxConcurrentExecutions" name="Concurrent executions" stroke="#2563eb" dot={false} strokeWidth={1.5} isAnimationActive={false} />
            {props.reservedConcurrency !== null ? (
              <ReferenceLine y={props.reservedConcurrency} stroke="#dc2626" strokeDasharray="4 3" ifOverflow="extendDomain" label={{ value: `reserved ${props.reservedConcurrency}`, position: "insideTopRight", fontSize: 11 }} />
            ) : null}
            {props.provisionedExecutions > 0 ? (
              <ReferenceLine y={props.provisionedExecutions} stroke="#7c3aed" strokeDasharray="2 3" ifOverflow="extendDomain" label={{ value: `provisioned ${props.provisionedExecutions}`, position: "insideBottomRight", fontSize: 11 }} />
            ) : null}
          </LineChart>
        </ResponsiveContainer>
      </ChartFrame>
      <ChartFrame title="Account, this region: concurrency" label="The account's claimed and unreserved concurrency in this region over the range">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={props.regionPoints} margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--border)" vertical={false} />
            <XAxis dataKey="timestampMs" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={tick} minTickGap={40} fontSize={11} />
            <YAxis width={44} fontSize={11} allowDecimals={false} />
            <Tooltip labelFormatter={label} formatter={value} />
            <Legend iconSize={10} wrapperStyle={{ fontSize: 12 }} />
            <Line type="stepAfter" dataKey="claimedAccountConcurrency" name="Claimed" stroke="#7c3aed" dot={false} strokeWidth={1.5} isAnimationActive={false} />
            <Line type="stepAfter" dataKey="concurrentExecutions" name="Running" stroke="#2563eb" dot={false} strokeWidth={1.5} isAnimationActive={false} />
            <Line type="stepAfter" dataKey="unreservedConcurrentExecutions" name="Unreserved running" stroke="#0d9488" dot={false} strokeWidth={1.5} isAnimationActive={false} />
            {props.accountLimitExecutions !== null ? (
              <ReferenceLine y={props.accountLimitExecutions} stroke="#dc2626" strokeDasharray="4 3" ifOverflow="extendDomain" label={{ value: `limit ${formatInteger(props.accountLimitExecutions)}`, position: "insideTopRight", fontSize: 11 }} />
            ) : null}
          </LineChart>
        </ResponsiveContainer>
      </ChartFrame>
    </div>
  );
}
