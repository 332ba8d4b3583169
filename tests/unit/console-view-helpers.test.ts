import { describe, expect, it } from "vitest";
import { describeFreshness } from "@/app/(console)/_format/freshness";
import { defaultSortDir, rangeHref, sortHref } from "@/app/(console)/functions/functions-href";
import { describeSignInError, safeCallbackPath } from "@/app/signin/callback-path";
import { searchParamsToRecord } from "@/app/_server/search-params";
import { parseFunctionsParams } from "@/app/_server/functions-params";

const NOW = Date.UTC(2025, 10, 26, 12, 0, 30);
const MIN = 60_000;

describe("describeFreshness", () => {
  it("is calm and relative when collection is current", () => {
    expect(describeFreshness({ lastSuccessMs: NOW - 2 * MIN, lastError: null, stale: false }, NOW)).toEqual({
      tone: "ok",
      message: "Data collected 2 min ago",
    });
  });
  it("warns with the error and what is still shown when collection fails", () => {
    const f = describeFreshness({ lastSuccessMs: Date.UTC(2025, 10, 26, 11, 0), lastError: "ThrottlingException: Rate exceeded", stale: true }, NOW);
    expect(f.tone).toBe("warning");
    expect(f.message).toBe(
      "Collection failing: ThrottlingException: Rate exceeded; showing data stored up to 2025-11-26 11:00 UTC (1 h ago).",
    );
  });
  it("warns when data is stale without an error", () => {
    const f = describeFreshness({ lastSuccessMs: NOW - 20 * MIN, lastError: null, stale: true }, NOW);
    expect(f.tone).toBe("warning");
    expect(f.message).toMatch(/^Data is stale: the last collection finished 20 min ago;/);
  });
  it("says the first collection is running when there was none", () => {
    expect(describeFreshness({ lastSuccessMs: null, lastError: null, stale: true }, NOW).message).toBe(
      "No collection has completed yet — the first collection is running.",
    );
  });
});

describe("sort and range links", () => {
  const preset = { label: "24h" as const, window: { fromMs: NOW - 86_400_000, toMs: NOW } };
  it("sorts text columns ascending and numbers descending on first click", () => {
    expect(defaultSortDir("functionName")).toBe("asc");
    expect(defaultSortDir("invocations")).toBe("desc");
    expect(sortHref(preset, { sort: "functionName", dir: "asc" }, "invocations")).toBe("/functions?range=24h&sort=invocations&dir=desc");
  });
  it("flips the direction of the column already sorted", () => {
    expect(sortHref(preset, { sort: "invocations", dir: "desc" }, "invocations")).toBe("/functions?range=24h&sort=invocations&dir=asc");
    expect(sortHref(preset, { sort: "invocations", dir: "asc" }, "invocations")).toBe("/functions?range=24h&sort=invocations&dir=desc");
  });
  it("keeps a custom window as from/to", () => {
    const custom = { label: "custom" as const, window: { fromMs: Date.UTC(2025, 0, 1), toMs: Date.UTC(2025, 0, 2) } };
    expect(sortHref(custom, { sort: "invocations", dir: "desc" }, "errors")).toBe(
      "/functions?from=2025-01-01T00%3A00%3A00.000Z&to=2025-01-02T00%3A00%3A00.000Z&sort=errors&dir=desc",
    );
  });
  it("keeps the sort when changing the range", () => {
    expect(rangeHref("7d", { sort: "p99DurationMs", dir: "asc" })).toBe("/functions?range=7d&sort=p99DurationMs&dir=asc");
  });
});

describe("parseFunctionsParams", () => {
  it("defaults to the last 24 hours by invocations, descending", () => {
    const r = parseFunctionsParams({}, NOW);
    expect(r).toEqual({
      ok: true,
      value: {
        range: { label: "24h", window: { fromMs: NOW - 30_000 - 86_400_000, toMs: NOW - 30_000 } },
        sort: { sort: "invocations", dir: "desc" },
      },
    });
  });
  it("treats empty values as absent", () => {
    const r = parseFunctionsParams({ range: "", sort: "" }, NOW);
    expect(r.ok && r.value.sort.sort).toBe("invocations");
  });
  it.each([
    [{ sort: "colour" }, /^sort: /],
    [{ dir: "up" }, /^dir: /],
    [{ range: "3y" }, /^range: /],
    [{ range: ["1h", "6h"] }, /^range: given more than once$/],
    [{ from: "2025-01-01T00:00:00Z" }, /from and to must be given together/],
  ])("rejects %j naming the parameter", (params, message) => {
    const r = parseFunctionsParams(params, NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
  it("keeps repeated keys when reading URLSearchParams", () => {
    expect(searchParamsToRecord(new URLSearchParams("range=1h&range=6h&sort=errors"))).toEqual({ range: ["1h", "6h"], sort: "errors" });
  });
});

describe("safeCallbackPath", () => {
  it.each([
    [undefined, "/"],
    ["", "/"],
    ["/functions?range=7d&sort=errors", "/functions?range=7d&sort=errors"],
    ["http://127.0.0.1:3000/functions?range=1h", "/functions?range=1h"],
    ["https://evil.example/steal", "/steal"],
    ["//evil.example/x", "/x"],
    ["/\\evil.example/x", "/x"],
    ["javascript:alert(1)", "/"],
    ["/signin", "/"],
    ["/api/v1/functions", "/"],
    [["/a", "/b"], "/"],
  ])("%j → %s", (raw, expected) => {
    expect(safeCallbackPath(raw)).toBe(expected);
  });
});

describe("describeSignInError", () => {
  it("tells a wrong password apart from an unavailable store", () => {
    expect(describeSignInError("CredentialsSignin")).toBe("Wrong username or password.");
    expect(describeSignInError("SignInUnavailable")).toMatch(/unavailable/);
    expect(describeSignInError(null)).toBeNull();
  });
});
