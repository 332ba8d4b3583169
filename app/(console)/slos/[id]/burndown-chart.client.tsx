"use client";

import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDateTimeUtc } from "@/app/(console)/_format/format";
import { periodAxisProps } from "@/app/(console)/slos/[id]/period-axis";
import { formatBudget } from "@/app/(console)/slos/slo-words";

export interface BurndownChartProps {
  /** Remaining budget (null before the first event) and the ideal even spend, oldest first. */
  points: { atMs: number; budgetRemainingRatio: number | null; idealRatio: number }[];
  /** The SLO period (the x axis spans all of it, so a calendar period shows how much is left). */
  window: { fromMs: number; toMs: number };
}

/** Error budget remaining over the period against the dashed ideal line; below the 0 line the budget is overspent (client-only). */
export function BurndownChart({ points, window }: BurndownChartProps) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={points} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="var(--border)" vertical={false} />
        <XAxis {...periodAxisProps(window)} />
        {/* Budget left never exceeds 100 %; the axis reaches below 0 only when it is overspent. */}
        <YAxis domain={[(dataMin: number) => Math.min(0, dataMin), 1]} tickFormatter={(v: number) => formatBudget(v)} width={52} fontSize={11} />
        <Tooltip
          labelFormatter={(v: unknown) => (typeof v === "number" ? formatDateTimeUtc(v) : String(v))}
          formatter={(v) => (typeof v === "number" ? formatBudget(v) : String(v ?? "—"))}
        />
        <Legend iconSize={10} wrapperStyle={{ fontSize: 12 }} />
        <ReferenceLine y={0} stroke="var(--error-text)" strokeWidth={1} label={{ value: "budget spent", position: "insideBottomLeft", fontSize: 11, fill: "var(--error-text)" }} />
        <Line type="linear" dataKey="idealRatio" name="Ideal (even spend)" stroke="var(--muted)" strokeDasharray="5 4" dot={false} strokeWidth={1.5} isAnimationActive={false} />
        <Line type="linear" dataKey="budgetRemainingRatio" name="Budget remaining" stroke="var(--accent)" dot={false} strokeWidth={2} connectNulls={false} isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}
