"use client";

import type { CSSProperties } from "react";
import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";
import { formatDurationMs, formatPercent } from "@/app/(console)/_format/format";
import { HEALTH_COLORS } from "@/app/(console)/map/map-colors";
import { NODE_HEIGHT, NODE_WIDTH } from "@/app/(console)/map/map-layout";
import {
  formatChangeRatio,
  formatHealth,
  formatMsDelta,
  formatNodeKind,
  formatPresence,
  formatRatePerMinute,
  formatRatioDelta,
} from "@/app/(console)/map/map-format";
import styles from "@/app/(console)/map/service-map.module.css";
import type { NodeBadge } from "@/lib/domain/service-map/node-badges";
import type { ServiceMapNodeView } from "@/lib/queries/service-map-view";

export type MapFlowNode = Node<
  {
    node: ServiceMapNodeView;
    /** null while the search box is blank; else whether the node matches. */
    match: boolean | null;
  },
  "mapNode"
>;

function BadgePill({ badge }: { badge: NodeBadge }) {
  switch (badge.kind) {
    case "cold-start-heavy":
      return (
        <span className={`${styles.pill} ${styles.pillColdStart}`} title={`Cold-start heavy: ${formatPercent(badge.coldStartRatio)} of invocations (${badge.functionNames.join(", ")})`}>
          Cold starts
        </span>
      );
    case "slo-burning":
      return (
        <span
          className={`${styles.pill} ${badge.level === "page" ? styles.pillSloPage : styles.pillSloTicket}`}
          title={`SLO ${badge.level === "page" ? "paging" : "ticket"} now: ${badge.slos.map((s) => s.name).join(", ")}`}
        >
          SLO {badge.level === "page" ? "paging" : "ticket"}
        </span>
      );
  }
}

/** The line of a node's change against the baseline (rate, faults, p99), coloured by the verdict. */
function ChangeLine({ node }: { node: ServiceMapNodeView }) {
  const change = node.change;
  if (change === null) return null;
  const tone = change.verdict === "worse" ? styles.worse : change.verdict === "better" ? styles.better : undefined;
  if (change.presence !== "both") {
    return <div className={`${styles.nodeLine} ${styles.changeLine}`}>{change.presence === "new" ? "Only in this range" : "Only in the baseline"}</div>;
  }
  return (
    <div className={`${styles.nodeLine} ${styles.changeLine} ${tone ?? ""}`} title="Change against the baseline: request rate, 5xx share, p99">
      Δ {formatChangeRatio(change.requestsPerMinuteChangeRatio)} · 5xx {formatRatioDelta(change.faultRatioDelta)} · p99 {formatMsDelta(change.p99ResponseTimeMsDelta)}
    </div>
  );
}

/** One node card on the canvas: kind, name, health colour, traffic, badges, change. */
export function MapNodeCard({ data, selected }: NodeProps<MapFlowNode>) {
  const { node, match } = data;
  const { traffic } = node;
  const presence = node.change?.presence ?? "both";
  const style = { "--health": HEALTH_COLORS[node.health], width: NODE_WIDTH, height: NODE_HEIGHT } as CSSProperties;
  return (
    <div
      className={styles.node}
      style={style}
      data-testid="map-node"
      data-node-id={node.id}
      data-health={node.health}
      data-presence={presence}
      data-match={match === null ? undefined : String(match)}
      data-selected={selected ? "true" : undefined}
      title={`${formatNodeKind(node.kind)} ${node.name}: ${formatHealth(node.health)}`}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} className={styles.handle} />
      <div className={styles.nodeTop}>
        <span>
          {formatNodeKind(node.kind)}
          {node.memberCount > 1 ? ` · ${node.functionNames.length} fn` : ""}
        </span>
        <span className={styles.pills}>
          {node.badges.map((badge) => (
            <BadgePill key={badge.kind} badge={badge} />
          ))}
          {presence !== "both" ? <span className={`${styles.pill} ${presence === "new" ? styles.pillNew : styles.pillGone}`}>{formatPresence(presence)}</span> : null}
        </span>
      </div>
      <div className={styles.nodeName}>{node.name}</div>
      <div className={styles.nodeLine}>
        <span className={styles.healthWord}>{formatHealth(node.health)}</span> · {formatRatePerMinute(traffic.requestsPerMinute)} · p99 {formatDurationMs(traffic.p99ResponseTimeMs)}
      </div>
      <div className={styles.nodeLine}>
        5xx {formatPercent(traffic.faultRatio)} · 4xx {formatPercent(traffic.errorRatio)} · 429 {formatPercent(traffic.throttleRatio)}
      </div>
      <ChangeLine node={node} />
      <Handle type="source" position={Position.Right} isConnectable={false} className={styles.handle} />
    </div>
  );
}
