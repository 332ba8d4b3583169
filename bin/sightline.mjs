#!/usr/bin/env node
// Launcher for the `sightline` CLI: registers tsx so the TypeScript sources run as they are.
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

// The pinned AWS SDK warns on Node 20 that later releases will need Node 22; versions are
// pinned exactly (DESIGN.md §5), so the warning carries no information here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
await import("../cli/main.ts");
