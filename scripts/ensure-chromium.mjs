#!/usr/bin/env node
// Finds the Chromium the browser tests drive: $CHROMIUM_PATH, then Debian's /usr/bin/chromium.
// When neither exists it installs Debian's `chromium` where it can (root with apt-get), or stops
// at once with the one command that installs it. Browsers are never downloaded by a test tool.
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";

export function findChromium() {
  for (const candidate of [process.env.CHROMIUM_PATH, "/usr/bin/chromium"]) {
    if (!candidate) continue;
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // try the next one
    }
  }
  return null;
}

export function ensureChromium() {
  const found = findChromium();
  if (found) return found;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const hasApt = spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0;
  if (!isRoot || !hasApt) {
    console.error(
      "Chromium is needed for the browser tests and was not found (CHROMIUM_PATH, /usr/bin/chromium).\n" +
        "Install it with:  sudo apt-get update && sudo apt-get install -y chromium\n" +
        "or point CHROMIUM_PATH at a Chromium binary.",
    );
    process.exit(1);
  }
  console.log("Installing Debian's chromium for the browser tests (apt-get)…");
  for (const args of [["update", "-qq"], ["install", "-y", "-qq", "chromium"]]) {
    const result = spawnSync("apt-get", args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (result.status !== 0) {
      console.error(`apt-get ${args.join(" ")} failed (exit ${result.status}); install chromium by hand: apt-get install -y chromium`);
      process.exit(1);
    }
  }
  const installed = findChromium();
  if (!installed) {
    console.error("apt-get installed chromium but /usr/bin/chromium is missing; set CHROMIUM_PATH");
    process.exit(1);
  }
  return installed;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`chromium: ${ensureChromium()}`);
}
