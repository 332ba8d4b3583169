import type { HealthClass } from "@/lib/domain/service-map/node-health";

/**
 * The colour of each health class, shared by node cards, edges, the minimap and the legend so
 * the legend explains exactly the colours drawn. Strokes, markers and the minimap take colour
 * values rather than CSS classes, hence constants here instead of the CSS module.
 */
export const HEALTH_COLORS: Record<HealthClass, string> = {
  ok: "#15803d",
  warning: "#c27c0e",
  critical: "#c62828",
  idle: "#9aa3b2",
};

/** Edges and outlines of what exists only in the baseline window. */
export const GONE_COLOR = "#9aa3b2";
/** Search matches are outlined in the accent colour. */
export const MATCH_COLOR = "#2563eb";
