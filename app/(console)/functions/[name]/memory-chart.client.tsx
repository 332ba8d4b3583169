"use client";

import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame } from "@/app/(console)/_components/chart-frame";
import { formatChartTick } from "@/app/(console)/functions/[name]/detail-format";
import { formatDateTimeUtc, formatMemoryMb } from "@/app/(console)/_format/format";
import type { HourlyMemoryUse } from "@/lib/domain/logs/memory-usage";

export interface MemoryChartProps {
  hourly: HourlyMemoryUse[];
  memorySizeMb: number;
  /** The range charted (ticks read differently for a day and for two weeks). */
  window: { fromMs: number; toMs: number };
}

/** Max Memory Used per hour (p50, p99, max) against the configured memory size (client-only). */
export function MemoryChart({ hourly, memorySizeMb, window }: MemoryChartProps) {
  const tick = (value: number) => formatChartTick(value, window);
  return (
    <ChartFrame title="Max memory used per hour" label={`Hourly memory use against the ${formatMemoryMb(memorySizeMb)} configured`}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={hourly} margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--border)" vertical={false} />
          <XAxis dataKey="hourStartMs" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={tick} minTickGap={40} fontSize={11} />
          <YAxis tickFormatter={(v: number) => `${v}`} width={48} fontSize={11} unit=" MB" />
          <Tooltip
            labelFormatter={(v: unknown) => (typeof v === "number" ? formatDateTimeUtc(v) : String(v))}
            formatter={(v) => (typeof v === "number" ? formatMemoryMb(v) : String(v))}
          />
          <Legend iconSize={10} wrapperStyle={{ fontSize: 12 }} />
          <Line type="monotone" dataKey="p50Mb" name="p50" stroke="#93c5fd" dot={false} strokeWidth={1.5} isAnimationActive={false} />
          <Line type="monotone" dataKey="p99Mb" name="p99" stroke="#2563eb" dot={false} strokeWidth={1.5} isAnimationActive={false} />
          <Line type="monotone" dataKey="maxMb" name="max" stroke="#1e3a8a" dot={false} strokeWidth={1.5} isAnimationActive={false} />
          <ReferenceLine y={memorySizeMb} stroke="#dc2626" strokeDasharray="4 3" ifOverflow="extendDomain" label={{ value: `configured ${formatMemoryMb(memorySizeMb)}`, position: "insideTopRight", fontSize: 11 }} />
        </LineChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
