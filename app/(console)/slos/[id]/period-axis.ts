import { formatChartTick } from "@/app/(console)/functions/[name]/detail-format";

/**
 * Props of the x axis the SLO charts share: time across the whole SLO period (so a calendar
 * period shows how much is left), one tick every 40 px at most. Spread onto recharts' XAxis.
 */
export function periodAxisProps(window: { fromMs: number; toMs: number }) {
  return {
    dataKey: "atMs",
    type: "number" as const,
    scale: "time" as const,
    domain: [window.fromMs, window.toMs],
    tickFormatter: (v: number) => formatChartTick(v, window),
    minTickGap: 40,
    fontSize: 11,
    allowDataOverflow: true,
  };
}
