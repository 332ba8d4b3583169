"use client";

import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatCompactNumber, formatDateTimeUtc, formatPercent } from "@/app/(console)/_format/format";

export interface ColdStartChartProps {
  /** One point per covered hour, oldest first; ratio null for an hour without invocations. */
  points: { hourStartMs: number; coldStarts: number; coldStartRatio: number | null }[];
}

const DAY_MS = 86_400_000;

/** "14:00" within a day's span, "11-26 14:00" across days (UTC, like the rest of the console). */
function hourTick(spanMs: number): (value: number) => string {
  return (value) => {
    const iso = new Date(value).toISOString();
    return spanMs > DAY_MS ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
  };
}

/** Cold starts per hour (bars) and the cold-start ratio (line); client-only, recharts draws no SVG on the server. */
export function ColdStartChart({ points }: ColdStartChartProps) {
  const spanMs = points.length > 0 ? points[points.length - 1]!.hourStartMs - points[0]!.hourStartMs : 0;
  return (
    <ResponsiveContainer width="100%" height="100%">
      <ComposedChart data={points} margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="var(--border)" vertical={false} />
        <XAxis dataKey="hourStartMs" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={hourTick(spanMs)} minTickGap={40} fontSize={11} />
        <YAxis yAxisId="count" tickFormatter={(v: number) => formatCompactNumber(v)} width={40} fontSize={11} allowDecimals={false} />
        <YAxis yAxisId="ratio" orientation="right" domain={[0, "auto"]} tickFormatter={(v: number) => formatPercent(v)} width={48} fontSize={11} />
        <Tooltip
          labelFormatter={(v: unknown) => (typeof v === "number" ? formatDateTimeUtc(v) : String(v))}
          formatter={(v, name) => (typeof v !== "number" ? String(v ?? "—") : name === "Cold-start ratio" ? formatPercent(v) : formatCompactNumber(v))}
        />
        <Legend iconSize={10} wrapperStyle={{ fontSize: 12 }} />
        <Bar yAxisId="count" dataKey="coldStarts" name="Cold starts" fill="var(--accent)" isAnimationActive={false} />
        <Line yAxisId="ratio" type="monotone" dataKey="coldStartRatio" name="Cold-start ratio" stroke="#b45309" dot={false} strokeWidth={1.5} connectNulls={false} isAnimationActive={false} />
      </ComposedChart>
    </ResponsiveContainer>
  );
}
