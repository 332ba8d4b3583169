#!/usr/bin/env node
// Launcher for the `sightline` CLI: registers tsx so the TypeScript sources run as they are.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseEnv } from "node:util";
import { register } from "tsx/esm/api";

// A `.env` in the working directory fills in variables that are not already set (the real
// environment wins), so `cp .env.example .env` is a way to configure a local stack.
try {
  const fromFile = parseEnv(readFileSync(".env", "utf8"));
  for (const [name, value] of Object.entries(fromFile)) process.env[name] ??= value;
} catch (error) {
  if (error.code !== "ENOENT") {
    console.error(`sightline: cannot read .env: ${error.message}`);
    process.exit(2);
  }
}

// The pinned AWS SDK warns on Node 20 that later releases will need Node 22; versions are
// pinned exactly (DESIGN.md §5), so the warning carries no information here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
await import("../cli/main.ts");
