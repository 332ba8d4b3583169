import { describe, expect, it } from "vitest";
import { describeSignal } from "@/app/(console)/_overview/describe-signal";
import { rankSignals, sloBurningSignal, type Signal } from "@/lib/domain/health/now-signals";

type SloAlerting = Parameters<typeof sloBurningSignal>[0];

/** payments-api's availability SLO, paging at 20× with 40 % of its budget left; override what the test is about. */
function anAlertingSlo(overrides: Partial<SloAlerting> = {}): SloAlerting {
  return {
    id: "payments-availability",
    name: "Payments API availability",
    service: "payments",
    level: "page",
    accountId: "123456789012",
    region: "us-east-1",
    functionName: "payments-api",
    currentBurnRate: 20,
    budgetRemainingRatio: 0.4,
    ...overrides,
  };
}

describe("sloBurningSignal", () => {
  it.each([
    { level: "page", severity: "critical" },
    { level: "ticket", severity: "warning" },
  ] as const)("$level → $severity", ({ level, severity }) => {
    expect(sloBurningSignal(anAlertingSlo({ level })).severity).toBe(severity);
  });

  it("carries the SLO and its subject, with the numbers that are known", () => {
    expect(sloBurningSignal(anAlertingSlo())).toEqual({
      kind: "slo-burning",
      severity: "critical",
      subject: { accountId: "123456789012", region: "us-east-1", functionName: "payments-api" },
      measured: { burnRate: 20, budgetRemainingRatio: 0.4 },
      sinceMs: null,
      slo: { id: "payments-availability", name: "Payments API availability", service: "payments" },
    });
  });

  it.each([
    { name: "both known", burn: 20, budget: -0.35, measured: { burnRate: 20, budgetRemainingRatio: -0.35 } },
    { name: "no burn rate (no events in the last hour)", burn: null, budget: 0.4, measured: { budgetRemainingRatio: 0.4 } },
    { name: "no budget (no events in the period)", burn: 3, budget: null, measured: { burnRate: 3 } },
    { name: "neither", burn: null, budget: null, measured: {} },
    // Zero is a measurement, not a missing one.
    { name: "zero burn, empty budget", burn: 0, budget: 0, measured: { burnRate: 0, budgetRemainingRatio: 0 } },
  ])("measures only what is known: $name", ({ burn, budget, measured }) => {
    const signal = sloBurningSignal(anAlertingSlo({ currentBurnRate: burn, budgetRemainingRatio: budget }));
    expect(signal.measured).toStrictEqual(measured);
  });

  it("has no function for a service target", () => {
    expect(sloBurningSignal(anAlertingSlo({ functionName: null })).subject).toEqual({ accountId: "123456789012", region: "us-east-1", functionName: null });
  });
});

describe("rankSignals with SLOs", () => {
  /** A function signal as the detectors build it; only kind, severity and function matter for ranking. */
  function aSignal(kind: Signal["kind"], severity: Signal["severity"], functionName: string): Signal {
    return { kind, severity, subject: { accountId: "123456789012", region: "us-east-1", functionName }, measured: {}, sinceMs: null };
  }

  it("puts an SLO page before an error spike of the same severity, whatever the function names", () => {
    // "a-api" sorts before "payments-api": only the kind can put the SLO first.
    const spike = aSignal("error-spike", "critical", "a-api");
    const page = sloBurningSignal(anAlertingSlo({ level: "page" }));
    expect(rankSignals([spike, page])).toEqual([page, spike]);
    expect(rankSignals([page, spike])).toEqual([page, spike]);
  });

  it("still puts a critical error spike before an SLO ticket (severity first)", () => {
    const spike = aSignal("error-spike", "critical", "orders-api");
    const ticket = sloBurningSignal(anAlertingSlo({ level: "ticket" }));
    const warning = aSignal("throttling", "warning", "a-api");
    expect(rankSignals([ticket, warning, spike])).toEqual([spike, ticket, warning]);
  });
});

describe("describeSignal for slo-burning", () => {
  it("names the SLO and paging in the title, the service and numbers in the detail, and links the SLO, the map and the function", () => {
    expect(describeSignal(sloBurningSignal(anAlertingSlo()))).toEqual({
      title: "SLO paging: Payments API availability",
      detail: "payments: burning its error budget at 20× over the last hour. 40% of the budget is left.",
      links: [
        { label: "SLO", href: "/slos/payments-availability" },
        { label: "Service map", href: "/map?range=1h&account=123456789012&region=us-east-1" },
        { label: "Function", href: "/functions/payments-api?account=123456789012&region=us-east-1&range=6h" },
      ],
    });
  });

  it("says ticket for a ticket-level SLO", () => {
    expect(describeSignal(sloBurningSignal(anAlertingSlo({ level: "ticket", name: "Checkout latency" }))).title).toBe("SLO ticket: Checkout latency");
  });

  it("percent-encodes the SLO id in its link", () => {
    const { links } = describeSignal(sloBurningSignal(anAlertingSlo({ id: "eu/checkout latency?" })));
    expect(links[0]).toEqual({ label: "SLO", href: "/slos/eu%2Fcheckout%20latency%3F" });
  });

  it("has no function link for a service target", () => {
    const { links } = describeSignal(sloBurningSignal(anAlertingSlo({ functionName: null })));
    expect(links.map((l) => l.label)).toEqual(["SLO", "Service map"]);
  });

  it.each([
    // 14.44 rounds to one decimal: 14.4×; −0.35 is 35 % over, never "−35% left".
    { name: "an overspent budget as over", burn: 14.44, budget: -0.35, detail: "payments: burning its error budget at 14.4× over the last hour. The budget is overspent (35% over)." },
    { name: "an unknown burn rate and no budget sentence", burn: null, budget: null, detail: "payments: burning its error budget at an unknown rate over the last hour." },
    { name: "an exactly spent budget as 0% left", burn: 6, budget: 0, detail: "payments: burning its error budget at 6× over the last hour. 0% of the budget is left." },
  ])("words $name", ({ burn, budget, detail }) => {
    expect(describeSignal(sloBurningSignal(anAlertingSlo({ currentBurnRate: burn, budgetRemainingRatio: budget }))).detail).toBe(detail);
  });
});
