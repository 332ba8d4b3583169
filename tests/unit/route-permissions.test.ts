import { describe, expect, it } from "vitest";
import { buildContentSecurityPolicy } from "@/lib/domain/access/content-security-policy";
import { API_ACCESS, matchPagePattern, PAGE_ACCESS, pageAccess, rolesWith } from "@/lib/domain/access/route-permissions";

describe("page and API permissions", () => {
  it.each([
    ["/", "/"],
    ["/costs", "/costs"],
    ["/costs/", "/costs"],
    ["/functions/orders-api", "/functions/[name]"],
    ["/slos/checkout-availability", "/slos/[id]"],
    ["/functions/a/b", null],
    ["/nowhere", null],
  ])("%s is the page %s", (path, pattern) => {
    expect(matchPagePattern(path)).toBe(pattern);
  });

  it("needs costs:read for /costs, nothing for /signin, and a session for unknown paths", () => {
    expect(pageAccess("/costs")).toBe("costs:read");
    expect(pageAccess("/signin")).toBe("public");
    expect(pageAccess("/nowhere")).toBe("fleet:read");
  });

  it("names who holds a permission", () => {
    expect(rolesWith("costs:read")).toEqual(["finance", "admin"]);
    expect(rolesWith("tuning:apply")).toEqual(["engineer", "admin"]);
    expect(rolesWith("slos:write")).toEqual(["sre", "admin"]);
  });

  it("keeps only the health check public among the API routes, and writes behind write permissions", () => {
    expect(Object.entries(API_ACCESS).filter(([, a]) => a === "public").map(([r]) => r)).toEqual(["GET /api/v1/health"]);
    for (const [route, access] of Object.entries(API_ACCESS)) {
      if (!route.startsWith("GET ") && route !== "POST /api/v1/whatif") expect(access, route).toMatch(/:write$|:apply$/);
    }
    expect(Object.entries(PAGE_ACCESS).filter(([, a]) => a === "public").map(([p]) => p)).toEqual(["/signin"]);
  });
});

describe("the pages' Content-Security-Policy", () => {
  it("allows only nonce'd scripts, no framing, no plugins, forms to the console", () => {
    expect(buildContentSecurityPolicy({ nonce: "abc123", development: false })).toBe(
      "default-src 'self'; script-src 'self' 'nonce-abc123' 'strict-dynamic'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    );
  });

  it("adds 'unsafe-eval' in development only", () => {
    expect(buildContentSecurityPolicy({ nonce: "n", development: true })).toContain("script-src 'self' 'nonce-n' 'strict-dynamic' 'unsafe-eval';");
  });
});
