"use client";

import { Line, LineChart, YAxis } from "recharts";

/** Chart size in CSS pixels; `.sparkline` in globals.css reserves the same box before hydration. */
const WIDTH = 120;
const HEIGHT = 28;

export interface SparklineProps {
  points: { hourStartMs: number; invocationsPerHour: number }[];
  /** Accessible name, e.g. "Hourly invocations over 24 hours, peak 1.2k per hour". */
  label: string;
}

/** Hourly invocations as a tiny line chart (client-only: recharts draws no SVG on the server). */
export function Sparkline({ points, label }: SparklineProps) {
  return (
    <div className="sparkline" role="img" aria-label={label} data-testid="sparkline">
      <LineChart width={WIDTH} height={HEIGHT} data={points} margin={{ top: 3, right: 2, bottom: 3, left: 2 }} accessibilityLayer={false}>
        <YAxis hide domain={[0, "dataMax"]} />
        <Line
          type="monotone"
          dataKey="invocationsPerHour"
          stroke="var(--accent)"
          strokeWidth={1.5}
          dot={false}
          isAnimationActive={false}
        />
      </LineChart>
    </div>
  );
}
