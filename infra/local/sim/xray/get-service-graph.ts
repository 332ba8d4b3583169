import { z } from "zod";
import type { SimContext } from "../wire";
import { decodePageToken, encodePageToken, requestHash } from "./page-token";
import { buildServiceGraph, type ServiceWire } from "./service-graph";
import { availableMinutes, checkWindow } from "./time-window";
import { XRayRequestError } from "./xray-errors";

/** GetServiceGraph's body as the SDK sends it (timestamps are epoch seconds). */
export const GetServiceGraphInputSchema = z.object({
  StartTime: z.number(),
  EndTime: z.number(),
  GroupName: z.string().optional(),
  GroupARN: z.string().optional(),
  NextToken: z.string().optional(),
});
export type GetServiceGraphInput = z.infer<typeof GetServiceGraphInputSchema>;

export interface GetServiceGraphOutput {
  StartTime: number;
  EndTime: number;
  Services: ServiceWire[];
  ContainsOldGroupVersions: boolean;
  NextToken?: string;
}

/** The simulated account has only X-Ray's built-in group. */
function checkGroup(input: GetServiceGraphInput): void {
  if (input.GroupName !== undefined && input.GroupName !== "Default") throw new XRayRequestError(`Group ${input.GroupName} not found.`);
  if (input.GroupARN !== undefined && !input.GroupARN.endsWith(":group/Default")) throw new XRayRequestError(`Group ${input.GroupARN} not found.`);
}

/**
 * GetServiceGraph: the graph of the request's region over whole minutes of the window
 * (StartTime rounded down, EndTime up, both clamped to published data), paged by services when
 * the `truncated-pages` fault is on.
 * @throws XRayRequestError for a window over 24 hours, an unknown group or a foreign NextToken.
 */
export function getServiceGraph(ctx: SimContext, region: string, input: GetServiceGraphInput): GetServiceGraphOutput {
  checkWindow(input.StartTime, input.EndTime);
  checkGroup(input);
  const hash = requestHash(["GetServiceGraph", region, input.StartTime, input.EndTime, input.GroupName ?? "", input.GroupARN ?? ""]);
  const token = input.NextToken === undefined ? undefined : decodePageToken(input.NextToken, hash, 1);
  const nowMs = token?.nowMs ?? ctx.now();
  const window = availableMinutes(Math.floor(input.StartTime / 60), Math.ceil(input.EndTime / 60), nowMs);
  const services = buildServiceGraph(ctx.model, region, { startMinute: window.from, endMinute: window.to });
  const offset = token?.position[0] ?? 0;
  const pageSize = ctx.faults.pageLimit("xray") ?? services.length;
  const end = Math.min(services.length, offset + Math.max(1, pageSize));
  return {
    StartTime: window.from * 60,
    EndTime: window.to * 60,
    Services: services.slice(offset, end),
    ContainsOldGroupVersions: false,
    ...(end < services.length ? { NextToken: encodePageToken({ position: [end], nowMs }, hash) } : {}),
  };
}
