"use client";

import "@xyflow/react/dist/style.css";
import { useCallback, useEffect, useMemo, useState } from "react";
import { Background, Controls, MarkerType, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow, type Edge, type NodeChange } from "@xyflow/react";
import { formatDurationMs } from "@/app/(console)/_format/format";
import { GONE_COLOR, HEALTH_COLORS } from "@/app/(console)/map/map-colors";
import { formatChangeRatio, formatRatePerMinute } from "@/app/(console)/map/map-format";
import { layoutMap } from "@/app/(console)/map/map-layout";
import { MapNodeCard, type MapFlowNode } from "@/app/(console)/map/map-node.client";
import { NodePanel } from "@/app/(console)/map/node-panel.client";
import styles from "@/app/(console)/map/service-map.module.css";
import { matchesSearch, searchTermsOf } from "@/lib/domain/service-map/map-search";
import type { MapScope, ServiceMapEdgeView, ServiceMapNodeView } from "@/lib/queries/service-map-view";

const NODE_TYPES = { mapNode: MapNodeCard };

export interface ServiceMapProps {
  nodes: ServiceMapNodeView[];
  edges: ServiceMapEdgeView[];
  scope: MapScope;
  window: { fromMs: number; toMs: number };
  collapsed: boolean;
  initialNodeId: string | null;
  initialSearch: string;
}

/**
 * Keeps the open panel and the search in the address without a server round trip, so a
 * copied link reopens them. Next.js syncs its router with replaceState given null state.
 */
function replaceUrlParam(key: string, value: string | null): void {
  const url = new URL(window.location.href);
  if (value === null || value === "") url.searchParams.delete(key);
  else url.searchParams.set(key, value);
  window.history.replaceState(null, "", url);
}

/** An edge's label: calls per minute and p99, with the rate's change against the baseline. */
function edgeLabel(edge: ServiceMapEdgeView): string {
  const base = `${formatRatePerMinute(edge.traffic.requestsPerMinute)} · p99 ${formatDurationMs(edge.traffic.p99ResponseTimeMs)}`;
  const change = edge.change;
  if (change === null || change.presence === "both") return change === null ? base : `${base} (${formatChangeRatio(change.requestsPerMinuteChangeRatio)})`;
  return change.presence === "new" ? `${base} · new` : "gone";
}

function toFlowEdge(edge: ServiceMapEdgeView): Edge {
  const presence = edge.change?.presence ?? "both";
  const color = presence === "gone" ? GONE_COLOR : HEALTH_COLORS[edge.health];
  return {
    id: edge.id,
    source: edge.fromId,
    target: edge.toId,
    label: edgeLabel(edge),
    labelStyle: { fontSize: 11, fill: "#1d2330" },
    labelBgStyle: { fill: "#ffffff", fillOpacity: 0.9 },
    labelBgPadding: [4, 2],
    style: { stroke: color, strokeWidth: edge.health === "critical" || edge.health === "warning" ? 2.5 : 1.5, strokeDasharray: presence === "both" ? undefined : "6 4" },
    markerEnd: { type: MarkerType.ArrowClosed, color, width: 16, height: 16 },
    selectable: false,
    focusable: false,
    data: { health: edge.health, presence },
  };
}

function MapCanvas(props: ServiceMapProps) {
  const { fitView } = useReactFlow();
  const [selectedId, setSelectedId] = useState<string | null>(() => (props.nodes.some((n) => n.id === props.initialNodeId) ? props.initialNodeId : null));
  const [search, setSearch] = useState(props.initialSearch);
  const [onlyMatches, setOnlyMatches] = useState(false);
  // React Flow rebuilds a node from the object given whenever it changes (selection, search):
  // handing back the size it measured keeps its handles, so edges stay drawn without a re-measure.
  const [measured, setMeasured] = useState<ReadonlyMap<string, { width: number; height: number }>>(() => new Map());

  const terms = useMemo(() => searchTermsOf(search), [search]);
  const matchIds = useMemo(
    () => new Set(props.nodes.filter((n) => matchesSearch({ name: n.name, kind: n.kind, type: n.type, service: n.service?.label ?? null, functionNames: n.functionNames }, terms)).map((n) => n.id)),
    [props.nodes, terms],
  );
  const searching = terms.length > 0;
  const visibleNodes = useMemo(() => (searching && onlyMatches ? props.nodes.filter((n) => matchIds.has(n.id)) : props.nodes), [props.nodes, searching, onlyMatches, matchIds]);
  const visibleIds = useMemo(() => new Set(visibleNodes.map((n) => n.id)), [visibleNodes]);
  const visibleEdges = useMemo(() => props.edges.filter((e) => visibleIds.has(e.fromId) && visibleIds.has(e.toId)), [props.edges, visibleIds]);
  const positions = useMemo(() => layoutMap(visibleNodes, visibleEdges), [visibleNodes, visibleEdges]);

  const flowNodes = useMemo(
    (): MapFlowNode[] =>
      visibleNodes.map((node) => ({
        id: node.id,
        type: "mapNode",
        position: positions.get(node.id) ?? { x: 0, y: 0 },
        data: { node, match: searching ? matchIds.has(node.id) : null },
        selected: node.id === selectedId,
        measured: measured.get(node.id),
        draggable: false,
        connectable: false,
        ariaLabel: `${node.name}, ${node.health}`,
      })),
    [visibleNodes, positions, searching, matchIds, selectedId, measured],
  );
  const flowEdges = useMemo(() => visibleEdges.map(toFlowEdge), [visibleEdges]);

  // A new set of nodes (search filter) gets a new layout, and opening or closing the side
  // panel resizes the canvas: either way, show all of the map again.
  const panelOpen = selectedId !== null;
  useEffect(() => {
    const frame = requestAnimationFrame(() => void fitView({ padding: 0.1, maxZoom: 1, duration: 200 }));
    return () => cancelAnimationFrame(frame);
  }, [visibleIds, panelOpen, fitView]);

  const select = useCallback((id: string | null) => {
    setSelectedId(id);
    replaceUrlParam("node", id);
  }, []);

  // Clicks and the keyboard (Enter/Space on a focused node, Escape) arrive as selection changes.
  const onNodesChange = useCallback(
    (changes: NodeChange<MapFlowNode>[]) => {
      const sized = changes.flatMap((c) => (c.type === "dimensions" && c.dimensions !== undefined ? [{ id: c.id, dimensions: c.dimensions }] : []));
      if (sized.length > 0) {
        setMeasured((previous) => {
          const next = new Map(previous);
          for (const { id, dimensions } of sized) next.set(id, dimensions);
          return next;
        });
      }
      // Selecting one node also deselects the previous one, in either order: the selection wins.
      const selections = changes.flatMap((c) => (c.type === "select" ? [c] : []));
      const chosen = selections.find((c) => c.selected);
      if (chosen !== undefined) select(chosen.id);
      else if (selections.some((c) => c.id === selectedId)) select(null);
    },
    [select, selectedId],
  );

  const selected = props.nodes.find((n) => n.id === selectedId) ?? null;
  const matchCount = matchIds.size;

  return (
    <div className={styles.workspace}>
      <div className={styles.canvasColumn}>
        <div className={styles.searchBar} role="search">
          <input
            type="search"
            className={styles.searchInput}
            data-testid="map-search"
            aria-label="Search nodes by name, kind or service"
            placeholder="Search nodes: name, kind, service…"
            value={search}
            onChange={(event) => {
              setSearch(event.target.value);
              replaceUrlParam("q", event.target.value.trim());
            }}
          />
          {searching ? (
            <>
              <span className={styles.searchCount} aria-live="polite">
                {matchCount} of {props.nodes.length} nodes match
              </span>
              <label className={styles.checkbox}>
                <input type="checkbox" checked={onlyMatches} onChange={(event) => setOnlyMatches(event.target.checked)} />
                Only matches
              </label>
              <button
                type="button"
                className="button"
                disabled={matchCount === 0}
                onClick={() => void fitView({ nodes: [...matchIds].map((id) => ({ id })), padding: 0.3, duration: 300 })}
              >
                Zoom to matches
              </button>
            </>
          ) : null}
        </div>
        <div className={styles.canvas} data-testid="service-map">
          <ReactFlow<MapFlowNode, Edge>
            nodes={flowNodes}
            edges={flowEdges}
            nodeTypes={NODE_TYPES}
            onNodesChange={onNodesChange}
            onPaneClick={() => select(null)}
            nodesDraggable={false}
            nodesConnectable={false}
            edgesFocusable={false}
            fitView
            fitViewOptions={{ padding: 0.1, maxZoom: 1 }}
            minZoom={0.05}
            maxZoom={2}
          >
            <Background gap={24} size={1} />
            <Controls showInteractive={false} position="bottom-left" />
            <MiniMap pannable zoomable style={{ width: 160, height: 110 }} nodeColor={(n) => HEALTH_COLORS[(n as MapFlowNode).data.node.health]} position="bottom-right" />
          </ReactFlow>
        </div>
      </div>
      {selected !== null ? (
        <NodePanel key={selected.id} node={selected} scope={props.scope} window={props.window} collapsed={props.collapsed} onClose={() => select(null)} />
      ) : null}
    </div>
  );
}

/**
 * The service map's canvas: nodes laid out left to right (dagre), coloured by health, with
 * search (highlight, filter, zoom to matches), zoom to fit, a minimap and the side panel of
 * the selected node.
 */
export function ServiceMap(props: ServiceMapProps) {
  return (
    <ReactFlowProvider>
      <MapCanvas {...props} />
    </ReactFlowProvider>
  );
}
