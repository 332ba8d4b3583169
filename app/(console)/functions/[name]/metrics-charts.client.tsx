"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame } from "@/app/(console)/_components/chart-frame";
import { formatChartTick } from "@/app/(console)/functions/[name]/detail-format";
import styles from "@/app/(console)/functions/[name]/function-detail.module.css";
import { formatCompactNumber, formatDateTimeUtc, formatDurationMs } from "@/app/(console)/_format/format";
import type { DetailMetricPoint } from "@/lib/domain/metrics/function-detail-metrics";

const COLORS = { invocations: "#2563eb", errors: "#dc2626", throttles: "#d97706", p50: "#93c5fd", p90: "#3b82f6", p99: "#1e3a8a" } as const;

export interface MetricsChartsProps {
  points: DetailMetricPoint[];
  /** "per 5 min": what one point of the count charts covers. */
  stepLabel: string;
  /** The range charted (ticks read differently for a day and for two weeks). */
  window: { fromMs: number; toMs: number };
}

/** Invocations, errors and throttles per step, and the duration percentiles, over the range (client-only). */
export function MetricsCharts({ points, stepLabel, window }: MetricsChartsProps) {
  const tick = (value: number) => formatChartTick(value, window);
  const label = (value: unknown) => (typeof value === "number" ? formatDateTimeUtc(value) : String(value));
  const axis = (
    <XAxis dataKey="timestampMs" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={tick} minTickGap={40} fontSize={11} />
  );
  return (
    <div className={styles.charts}>
      <ChartFrame title={`Invocations ${stepLabel}`} label={`Invocations ${stepLabel} over the range`}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={points} syncId="function-metrics" margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--border)" vertical={false} />
            {axis}
            <YAxis tickFormatter={(v: number) => formatCompactNumber(v)} width={48} fontSize={11} />
            <Tooltip labelFormatter={label} formatter={(v) => (typeof v === "number" ? formatCompactNumber(v) : String(v))} />
            <Line type="monotone" dataKey="invocations" name="Invocations" stroke={COLORS.invocations} dot={false} strokeWidth={1.5} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </ChartFrame>
      <ChartFrame title={`Errors and throttles ${stepLabel}`} label={`Errors and throttles ${stepLabel} over the range`}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={points} syncId="function-metrics" margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--border)" vertical={false} />
            {axis}
            <YAxis tickFormatter={(v: number) => formatCompactNumber(v)} width={48} fontSize={11} allowDecimals={false} />
            <Tooltip labelFormatter={label} formatter={(v) => (typeof v === "number" ? formatCompactNumber(v) : String(v))} />
            <Legend iconSize={10} wrapperStyle={{ fontSize: 12 }} />
            <Line type="monotone" dataKey="errors" name="Errors" stroke={COLORS.errors} dot={false} strokeWidth={1.5} isAnimationActive={false} />
            <Line type="monotone" dataKey="throttles" name="Throttles" stroke={COLORS.throttles} dot={false} strokeWidth={1.5} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </ChartFrame>
      <ChartFrame title="Duration p50 / p90 / p99" label="Duration percentiles over the range">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={points} syncId="function-metrics" margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--border)" vertical={false} />
            {axis}
            <YAxis tickFormatter={(v: number) => formatDurationMs(v)} width={56} fontSize={11} />
            <Tooltip labelFormatter={label} formatter={(v) => (typeof v === "number" ? formatDurationMs(v) : String(v))} />
            <Legend iconSize={10} wrapperStyle={{ fontSize: 12 }} />
            <Line type="monotone" dataKey="p50DurationMs" name="p50" stroke={COLORS.p50} dot={false} strokeWidth={1.5} isAnimationActive={false} connectNulls={false} />
            <Line type="monotone" dataKey="p90DurationMs" name="p90" stroke={COLORS.p90} dot={false} strokeWidth={1.5} isAnimationActive={false} connectNulls={false} />
            <Line type="monotone" dataKey="p99DurationMs" name="p99" stroke={COLORS.p99} dot={false} strokeWidth={1.5} isAnimationActive={false} connectNulls={false} />
          </LineChart>
        </ResponsiveContainer>
      </ChartFrame>
    </div>
  );
}
