"use client";

import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDateTimeUtc } from "@/app/(console)/_format/format";
import { periodAxisProps } from "@/app/(console)/slos/[id]/period-axis";
import { formatSli } from "@/app/(console)/slos/slo-words";

export interface SliChartProps {
  /** good / total per hour (null for an hour without events), oldest first. */
  points: { atMs: number; ratio: number | null }[];
  objective: number;
  objectiveLabel: string;
  window: { fromMs: number; toMs: number };
}

/** The SLI per hour as a percentage with the objective as a reference line (client-only). */
export function SliChart({ points, objective, objectiveLabel, window }: SliChartProps) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={points} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="var(--border)" vertical={false} />
        <XAxis {...periodAxisProps(window)} />
        <YAxis domain={["dataMin", 1]} tickFormatter={(v: number) => formatSli(v)} width={60} fontSize={11} />
        <Tooltip
          labelFormatter={(v: unknown) => (typeof v === "number" ? formatDateTimeUtc(v) : String(v))}
          formatter={(v) => (typeof v === "number" ? formatSli(v) : String(v ?? "—"))}
        />
        <ReferenceLine
          y={objective}
          stroke="var(--ok)"
          strokeDasharray="4 3"
          ifOverflow="extendDomain"
          label={{ value: `objective ${objectiveLabel}`, position: "insideBottomRight", fontSize: 11, fill: "var(--ok)" }}
        />
        <Line type="linear" dataKey="ratio" name="SLI" stroke="var(--accent)" dot={false} strokeWidth={1.5} connectNulls={false} isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}
