"use client";

import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Legend, ReferenceArea, ReferenceDot, ResponsiveContainer, Tooltip, XAxis, YAxis, pattern, patterns, type RechartsFill } from "recharts";
import { formatMicroUsd, formatUsdTick } from "@/app/(console)/costs/cost-format";
import type { TrendData } from "@/app/(console)/costs/cost-trend-data";

export interface CostTrendProps {
  trend: TrendData;
  /** Drill-down link per bucket id (a click on a segment opens it). */
  drillHrefs: Record<string, string>;
}

const MICRO_PER_USD = 1_000_000;
const ANOMALY_COLOR = "#dc2626";

// Pattern definitions are made once (recharts redraws a definition that changes identity).
const UNALLOCATED_TEXTURE = pattern({ ...patterns.diagonal, strokeWidth: 2, opacity: 0.6 });
const IDLE_TEXTURE = pattern({ ...patterns.crosshatch, opacity: 0.6 });
const ESTIMATED_TEXTURE = pattern({ ...patterns.diagonal, color: "#94a3b8", opacity: 0.35, strokeWidth: 1 });

/** Unallocated and idle are striped as well as coloured, so they read apart without colour vision. */
function seriesFill(id: string, color: string): string | RechartsFill {
  if (id === "unallocated") return { color, definition: UNALLOCATED_TEXTURE };
  if (id === "idle") return { color, definition: IDLE_TEXTURE };
  return color;
}

/** Consecutive runs of estimated days, as [first tick, last tick]. */
function estimatedRuns(days: TrendData["days"]): [string, string][] {
  const runs: [string, string][] = [];
  let start: string | null = null;
  days.forEach((d, i) => {
    if (d.estimated && start === null) start = d.tick;
    const next = days[i + 1];
    if (d.estimated && (next === undefined || !next.estimated) && start !== null) {
      runs.push([start, d.tick]);
      start = null;
    }
  });
  return runs;
}

/**
 * The daily cost per bucket as stacked bars (client-only: recharts draws no SVG on the server).
 * Anomalies are red dots on their bucket's segment; days Cost Explorer still estimates are
 * shaded and their ticks end in "*". Clicking a segment drills into its bucket.
 */
export function CostTrend({ trend, drillHrefs }: CostTrendProps) {
  const router = useRouter();
  const rows = trend.days.map((d) => {
    const row: Record<string, number | string | boolean> = { tick: d.tick, day: d.day, estimated: d.estimated };
    for (const s of trend.series) row[s.key] = (d.microUsdBySeries[s.key] ?? 0) / MICRO_PER_USD;
    return row;
  });
  const labels = new Map(trend.series.map((s) => [s.key, s.label]));
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={rows} margin={{ top: 12, right: 8, bottom: 0, left: 4 }}>
        <CartesianGrid stroke="var(--border)" vertical={false} />
        <XAxis dataKey="tick" fontSize={11} minTickGap={8} />
        <YAxis tickFormatter={(v: number) => formatUsdTick(v)} width={56} fontSize={11} />
        {estimatedRuns(trend.days).map(([x1, x2]) => (
          <ReferenceArea key={x1} x1={x1} x2={x2} fill={{ color: "#f1f5f9", definition: ESTIMATED_TEXTURE }} ifOverflow="extendDomain" label={{ value: "Estimated", position: "insideTop", fontSize: 10, fill: "#5f6877" }} />
        ))}
        <Tooltip
          labelFormatter={(label: unknown, payload) => {
            const first = payload?.[0]?.payload as { day?: string; estimated?: boolean } | undefined;
            return first?.day ? `${first.day}${first.estimated ? " (estimated)" : ""}` : String(label);
          }}
          formatter={(v, name) => [typeof v === "number" ? formatMicroUsd(Math.round(v * MICRO_PER_USD)) : String(v ?? "—"), labels.get(String(name)) ?? String(name)]}
        />
        <Legend iconSize={10} wrapperStyle={{ fontSize: 12 }} />
        {trend.series.map((s) => {
          const href = drillHrefs[s.id];
          return (
            <Bar
              key={s.key}
              dataKey={s.key}
              name={s.label}
              stackId="cost"
              fill={seriesFill(s.id, s.color)}
              isAnimationActive={false}
              cursor={href ? "pointer" : undefined}
              onClick={href ? () => router.push(href) : undefined}
            />
          );
        })}
        {trend.marks.map((m) => (
          <ReferenceDot
            key={`${m.seriesId}|${m.day}`}
            x={m.dayTick}
            y={m.stackTopMicroUsd / MICRO_PER_USD}
            r={5}
            fill={ANOMALY_COLOR}
            stroke="#fff"
            strokeWidth={1.5}
            ifOverflow="extendDomain"
            label={{ value: m.direction === "up" ? "▲" : "▼", position: "top", fontSize: 10, fill: ANOMALY_COLOR }}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
