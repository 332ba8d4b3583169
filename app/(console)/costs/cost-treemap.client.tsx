"use client";

import { useRouter } from "next/navigation";
import { ResponsiveContainer, Tooltip, Treemap, type TreemapNode } from "recharts";
import { formatMicroUsd } from "@/app/(console)/costs/cost-format";
import { formatPercent } from "@/app/(console)/_format/format";

export interface CostTreemapTile {
  id: string;
  label: string;
  /** µUSD, positive (credits cannot be drawn as an area; the table lists them). */
  microUsd: number;
  shareRatio: number;
  color: string;
  href: string;
}

/** A tile: the bucket's colour, its name and amount when they fit. */
function Tile(node: TreemapNode) {
  const { x, y, width, height, depth } = node;
  if (depth === 0) return <g />;
  const color = typeof node.color === "string" ? node.color : "var(--accent)";
  const label = typeof node.label === "string" ? node.label : node.name;
  const microUsd = typeof node.microUsd === "number" ? node.microUsd : 0;
  const special = node.id === "unallocated" || node.id === "idle";
  return (
    <g style={{ cursor: "pointer" }}>
      <rect x={x} y={y} width={width} height={height} fill={color} stroke="#fff" strokeWidth={2} strokeDasharray={special ? "6 3" : undefined} />
      {width > 70 && height > 34 ? (
        <>
          <text x={x + 6} y={y + 16} fill="#fff" fontSize={12} fontWeight={600}>
            {label.length * 7 > width - 10 ? `${label.slice(0, Math.max(1, Math.floor((width - 16) / 7)))}…` : label}
          </text>
          <text x={x + 6} y={y + 30} fill="#fff" fontSize={11}>
            {formatMicroUsd(microUsd)}
          </text>
        </>
      ) : null}
    </g>
  );
}

/** The window's buckets as areas by size (client-only); a click on a tile drills into the bucket. */
export function CostTreemap({ tiles }: { tiles: CostTreemapTile[] }) {
  const router = useRouter();
  const data = tiles.map((t) => ({ ...t, name: t.label, size: t.microUsd }));
  return (
    <ResponsiveContainer width="100%" height="100%">
      <Treemap
        data={data}
        dataKey="size"
        nameKey="name"
        aspectRatio={4 / 3}
        isAnimationActive={false}
        content={Tile}
        onClick={(node) => {
          if (typeof node.href === "string") router.push(node.href);
        }}
      >
        <Tooltip
          formatter={(_v, _name, item) => {
            const tile = item?.payload as { label?: string; microUsd?: number; shareRatio?: number } | undefined;
            return [`${formatMicroUsd(tile?.microUsd ?? 0)} (${formatPercent(tile?.shareRatio ?? null)})`, tile?.label ?? ""];
          }}
        />
      </Treemap>
    </ResponsiveContainer>
  );
}
