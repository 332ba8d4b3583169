import { describe, expect, it } from "vitest";
import {
  AlertLifecycleError,
  advanceAlerts,
  markNotified,
  type AlertNotificationEvent,
  type AlertState,
} from "@/lib/domain/slo/alert-lifecycle";

const SLO = "checkout-availability";
const T0 = Date.UTC(2026, 10, 26, 12);
const MIN = 60_000;

/** One evaluation: which alerts fire, their burn rates, and whether the caller's delivery works. */
interface Step {
  page: boolean;
  ticket: boolean;
  pageRate?: number | null;
  ticketRate?: number | null;
  /** false: every notification of this step fails to deliver (notifiedAtMs stays null). */
  delivered?: boolean;
}

/** "firing page @0" = a firing page notification for the episode that started at minute 0. */
function describeEvent(e: AlertNotificationEvent): string {
  return `${e.kind} ${e.severity} @${(e.startedAtMs - T0) / MIN}`;
}

/**
 * Plays evaluations one minute apart the way the evaluator will: pass the open episodes,
 * deliver the notifications, mark the delivered ones, keep the still-open episodes.
 */
function play(steps: Step[]): { sent: string[][]; open: AlertState[]; lastStates: AlertState[] } {
  let open: AlertState[] = [];
  let lastStates: AlertState[] = [];
  const sent: string[][] = [];
  steps.forEach((step, i) => {
    const atMs = T0 + i * MIN;
    const result = advanceAlerts({
      sloId: SLO,
      previous: open,
      firing: { page: step.page, ticket: step.ticket },
      burnRates: { page: step.pageRate ?? (step.page ? 15 : 2), ticket: step.ticketRate ?? (step.ticket ? 4 : 0.5) },
      atMs,
    });
    sent.push(result.notifications.map(describeEvent));
    const states = step.delivered === false ? result.states : markNotified(result.states, result.notifications, atMs);
    lastStates = states;
    open = states.filter((s) => s.status === "firing");
  });
  return { sent, open, lastStates };
}

const P = { page: true, ticket: false };
const T = { page: false, ticket: true };
const PT = { page: true, ticket: true };
const NONE = { page: false, ticket: false };

describe("advanceAlerts: notification sequences", () => {
  const cases: { name: string; steps: Step[]; sent: string[][] }[] = [
    {
      name: "opens, deduplicates while firing, then resolves",
      steps: [P, P, P, NONE],
      sent: [["firing page @0"], [], [], ["resolved page @0"]],
    },
    {
      name: "holds the ticket while the page fires (the page resolves first, then the ticket is sent)",
      steps: [PT, PT, T, T, NONE],
      sent: [["firing page @0"], [], ["resolved page @0", "firing ticket @0"], [], ["resolved ticket @0"]],
    },
    {
      name: "never sends a ticket that was held for its whole life",
      steps: [PT, PT, NONE],
      sent: [["firing page @0"], [], ["resolved page @0"]],
    },
    {
      name: "holds a ticket that starts while the page already fires",
      steps: [P, PT, T],
      sent: [["firing page @0"], [], ["resolved page @0", "firing ticket @1"]],
    },
    {
      name: "lets a ticket sent before the page keep its episode and still resolves it while the page fires",
      steps: [T, PT, P, NONE],
      sent: [["firing ticket @0"], ["firing page @1"], ["resolved ticket @0"], ["resolved page @1"]],
    },
    {
      name: "opens a new episode when a flapping alert fires again",
      steps: [P, NONE, P, NONE],
      sent: [["firing page @0"], ["resolved page @0"], ["firing page @2"], ["resolved page @2"]],
    },
    {
      name: "re-emits an undelivered firing notification until it is delivered, for the same episode",
      steps: [{ ...P, delivered: false }, { ...P, delivered: false }, P, P, NONE],
      sent: [["firing page @0"], ["firing page @0"], ["firing page @0"], [], ["resolved page @0"]],
    },
    {
      name: "does not send the resolve of an alert whose firing notification never got through",
      steps: [{ ...P, delivered: false }, { ...P, delivered: false }, NONE],
      sent: [["firing page @0"], ["firing page @0"], []],
    },
    {
      name: "keeps a held ticket undelivered-but-quiet while the page fires, then sends it",
      steps: [{ ...PT, delivered: false }, PT, T],
      sent: [["firing page @0"], ["firing page @0"], ["resolved page @0", "firing ticket @0"]],
    },
  ];

  it.each(cases)("$name", ({ steps, sent }) => {
    expect(play(steps).sent).toEqual(sent);
  });
});

describe("advanceAlerts: episodes", () => {
  it("opens an episode at the evaluation time with the burn rate as its peak", () => {
    const { states, notifications } = advanceAlerts({ sloId: SLO, previous: [], firing: P, burnRates: { page: 14.4, ticket: 3.1 }, atMs: T0 });
    expect(states).toEqual([
      { sloId: SLO, severity: "page", status: "firing", startedAtMs: T0, endedAtMs: null, notifiedAtMs: null, peakBurnRate: 14.4 },
    ]);
    expect(notifications).toEqual([{ kind: "firing", severity: "page", sloId: SLO, startedAtMs: T0, endedAtMs: null, burnRate: 14.4 }]);
  });

  it("keeps the highest burn rate while firing, ignoring an unknown one", () => {
    const { open } = play([
      { ...P, pageRate: 15 },
      { ...P, pageRate: 22.5 },
      { ...P, pageRate: null },
      { ...P, pageRate: 16 },
    ]);
    expect(open).toHaveLength(1);
    expect(open[0]!.peakBurnRate).toBe(22.5);
    expect(open[0]!.startedAtMs).toBe(T0);
  });

  it("ends the episode at the first evaluation that finds it not firing and reports its peak", () => {
    const previous: AlertState[] = [
      { sloId: SLO, severity: "page", status: "firing", startedAtMs: T0, endedAtMs: null, notifiedAtMs: T0, peakBurnRate: 30 },
    ];
    const atMs = T0 + 95 * MIN;
    const { states, notifications } = advanceAlerts({ sloId: SLO, previous, firing: NONE, burnRates: { page: 1.2, ticket: 0.8 }, atMs });
    expect(states).toEqual([{ ...previous[0], status: "resolved", endedAtMs: atMs }]);
    expect(notifications).toEqual([{ kind: "resolved", severity: "page", sloId: SLO, startedAtMs: T0, endedAtMs: atMs, burnRate: 30 }]);
  });

  it("returns still-open episodes even when nothing changes, and nothing when nothing is open", () => {
    const open = play([P]).open;
    const again = advanceAlerts({ sloId: SLO, previous: open, firing: P, burnRates: { page: 10, ticket: null }, atMs: T0 + MIN });
    expect(again.states).toEqual(open);
    expect(again.notifications).toEqual([]);
    const quiet = advanceAlerts({ sloId: SLO, previous: [], firing: NONE, burnRates: { page: null, ticket: null }, atMs: T0 });
    expect(quiet).toEqual({ states: [], notifications: [] });
  });

  it("records the held ticket episode while the page fires", () => {
    const { lastStates } = play([PT]);
    expect(lastStates.map((s) => [s.severity, s.status, s.notifiedAtMs])).toEqual([
      ["page", "firing", T0],
      ["ticket", "firing", null],
    ]);
  });

  it("sends a firing notification with the current burn rate, falling back to the peak", () => {
    const previous: AlertState[] = [
      { sloId: SLO, severity: "ticket", status: "firing", startedAtMs: T0, endedAtMs: null, notifiedAtMs: null, peakBurnRate: 9 },
    ];
    const current = advanceAlerts({ sloId: SLO, previous, firing: T, burnRates: { page: 2, ticket: 4 }, atMs: T0 + MIN });
    expect(current.notifications[0]?.burnRate).toBe(4);
    const unknown = advanceAlerts({ sloId: SLO, previous, firing: T, burnRates: { page: 2, ticket: null }, atMs: T0 + MIN });
    expect(unknown.notifications[0]?.burnRate).toBe(9);
  });

  it.each([
    ["another SLO's episode", { sloId: "other" }],
    ["a resolved episode", { status: "resolved" as const, endedAtMs: T0 }],
  ])("rejects %s in previous", (_name, patch) => {
    const state: AlertState = { sloId: SLO, severity: "page", status: "firing", startedAtMs: T0, endedAtMs: null, notifiedAtMs: null, peakBurnRate: 15, ...patch };
    expect(() => advanceAlerts({ sloId: SLO, previous: [state], firing: P, burnRates: { page: 15, ticket: null }, atMs: T0 + MIN })).toThrow(
      AlertLifecycleError,
    );
  });

  it("rejects two open episodes of one severity", () => {
    const state: AlertState = { sloId: SLO, severity: "page", status: "firing", startedAtMs: T0, endedAtMs: null, notifiedAtMs: null, peakBurnRate: 15 };
    expect(() =>
      advanceAlerts({ sloId: SLO, previous: [state, { ...state, startedAtMs: T0 + MIN }], firing: P, burnRates: { page: 15, ticket: null }, atMs: T0 + 2 * MIN }),
    ).toThrow(/two open page episodes/);
  });
});

describe("markNotified", () => {
  const page: AlertState = { sloId: SLO, severity: "page", status: "firing", startedAtMs: T0, endedAtMs: null, notifiedAtMs: null, peakBurnRate: 15 };
  const ticket: AlertState = { ...page, severity: "ticket", peakBurnRate: 4 };

  it("marks only the episodes whose firing notification was delivered", () => {
    const delivered: AlertNotificationEvent[] = [{ kind: "firing", severity: "ticket", sloId: SLO, startedAtMs: T0, endedAtMs: null, burnRate: 4 }];
    expect(markNotified([page, ticket], delivered, T0 + 5_000)).toEqual([page, { ...ticket, notifiedAtMs: T0 + 5_000 }]);
  });

  it("does not match another episode of the same severity or move an earlier delivery time", () => {
    const otherEpisode: AlertNotificationEvent = { kind: "firing", severity: "page", sloId: SLO, startedAtMs: T0 - MIN, endedAtMs: null, burnRate: 15 };
    expect(markNotified([page], [otherEpisode], T0)).toEqual([page]);
    const already = { ...page, notifiedAtMs: T0 };
    expect(markNotified([already], [{ ...otherEpisode, startedAtMs: T0 }], T0 + MIN)).toEqual([already]);
  });

  it("ignores resolved notifications", () => {
    const resolved: AlertNotificationEvent = { kind: "resolved", severity: "page", sloId: SLO, startedAtMs: T0, endedAtMs: T0 + MIN, burnRate: 15 };
    expect(markNotified([page], [resolved], T0 + MIN)).toEqual([page]);
  });
});
