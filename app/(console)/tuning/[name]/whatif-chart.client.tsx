"use client";

import { useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame } from "@/app/(console)/_components/chart-frame";
import { formatDateTimeUtc, formatInteger, formatUsd } from "@/app/(console)/_format/format";
import { formatChartTick } from "@/app/(console)/functions/[name]/detail-format";
import styles from "@/app/(console)/tuning/tuning.module.css";
import type { WhatIfResult } from "@/lib/domain/sizing/tuning-types";

type Measure = "cost" | "concurrency";

/** Per hour of the replayed window: cost, or peak concurrency with the provisioned level, actual against projected (client-only). */
export function WhatIfChart({ hours, window }: { hours: WhatIfResult["hours"]; window: WhatIfResult["window"] }) {
  const [measure, setMeasure] = useState<Measure>("cost");
  const tick = (value: number) => formatChartTick(value, window);
  const label = (value: unknown) => (typeof value === "number" ? formatDateTimeUtc(value) : String(value));
  const value = (v: unknown) => (typeof v === "number" ? (measure === "cost" ? formatUsd(v) : formatInteger(v)) : String(v ?? "—"));
  const cost = measure === "cost";
  return (
    <div data-testid="whatif-chart" data-measure={measure}>
      <div className={styles.chartToggle} role="group" aria-label="Chart measure">
        <button type="button" className="button" aria-pressed={cost} onClick={() => setMeasure("cost")}>
          Cost
        </button>
        <button type="button" className="button" aria-pressed={!cost} onClick={() => setMeasure("concurrency")}>
          Concurrency
        </button>
      </div>
      <ChartFrame
        title={cost ? "Cost per hour: actual and projected" : "Peak concurrency per hour: actual, projected and provisioned"}
        label={
          cost
            ? `Cost per hour over ${hours.length} hours, what happened against the candidate's projection`
            : `Peak concurrent executions per hour over ${hours.length} hours, what happened against the candidate's projection, with the provisioned level`
        }
      >
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={hours} margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--border)" vertical={false} />
            <XAxis dataKey="startMs" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={tick} minTickGap={40} fontSize={11} />
            <YAxis width={56} fontSize={11} allowDecimals={cost} tickFormatter={(v: number) => (cost ? formatUsd(v) : formatInteger(v))} />
            <Tooltip labelFormatter={label} formatter={value} />
            <Legend iconSize={10} wrapperStyle={{ fontSize: 12 }} />
            {/* Lines as direct children (no fragments), one pair per measure. */}
            <Line
              key={`${measure}-actual`}
              type="stepAfter"
              dataKey={cost ? "actualCostUsd" : "actualConcurrencyMax"}
              name="Actual"
              stroke="#2563eb"
              dot={false}
              strokeWidth={1.5}
              isAnimationActive={false}
            />
            <Line
              key={`${measure}-projected`}
              type="stepAfter"
              dataKey={cost ? "projectedCostUsd" : "projectedConcurrencyMax"}
              name="Projected"
              stroke="#ea580c"
              strokeDasharray="5 3"
              dot={false}
              strokeWidth={1.5}
              isAnimationActive={false}
            />
            {cost ? null : (
              <Line type="stepAfter" dataKey="provisioned" name="Provisioned" stroke="#7c3aed" strokeDasharray="2 3" dot={false} strokeWidth={1.5} isAnimationActive={false} />
            )}
          </LineChart>
        </ResponsiveContainer>
      </ChartFrame>
    </div>
  );
}
