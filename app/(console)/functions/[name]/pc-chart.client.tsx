"use client";

import { Bar, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame } from "@/app/(console)/_components/chart-frame";
import { formatChartTick } from "@/app/(console)/functions/[name]/detail-format";
import { formatCompactNumber, formatDateTimeUtc, formatPercent } from "@/app/(console)/_format/format";

export interface PcChartProps {
  qualifier: string;
  points: { timestampMs: number; utilisation: number | null; spilloverInvocations: number | null }[];
  breakEvenUtilisationRatio: number;
  stepLabel: string;
  /** The range charted (ticks read differently for a day and for two weeks). */
  window: { fromMs: number; toMs: number };
}

/** One alias's provisioned-concurrency utilisation (per-step maximum) and its spillover invocations (client-only). */
export function PcChart({ qualifier, points, breakEvenUtilisationRatio, stepLabel, window }: PcChartProps) {
  const tick = (value: number) => formatChartTick(value, window);
  return (
    <ChartFrame
      title={`Utilisation (max) and spillover invocations ${stepLabel}`}
      label={`Provisioned concurrency utilisation and spillover of ${qualifier} over the range`}
    >
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={points} margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--border)" vertical={false} />
          <XAxis dataKey="timestampMs" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={tick} minTickGap={40} fontSize={11} />
          <YAxis yAxisId="ratio" domain={[0, 1]} tickFormatter={(v: number) => formatPercent(v)} width={44} fontSize={11} />
          <YAxis yAxisId="count" orientation="right" tickFormatter={(v: number) => formatCompactNumber(v)} width={44} fontSize={11} allowDecimals={false} />
          <Tooltip
            labelFormatter={(v: unknown) => (typeof v === "number" ? formatDateTimeUtc(v) : String(v))}
            formatter={(v, name) => (typeof v !== "number" ? String(v) : name === "Utilisation" ? formatPercent(v) : formatCompactNumber(v))}
          />
          <Legend iconSize={10} wrapperStyle={{ fontSize: 12 }} />
          <Bar yAxisId="count" dataKey="spilloverInvocations" name="Spillover" fill="#f59e0b" isAnimationActive={false} />
          <Line yAxisId="ratio" type="stepAfter" dataKey="utilisation" name="Utilisation" stroke="#7c3aed" dot={false} strokeWidth={1.5} isAnimationActive={false} />
          {Number.isFinite(breakEvenUtilisationRatio) ? (
            <ReferenceLine yAxisId="ratio" y={breakEvenUtilisationRatio} stroke="#15803d" strokeDasharray="4 3" label={{ value: "break-even", position: "insideTopLeft", fontSize: 11 }} />
          ) : null}
        </ComposedChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
