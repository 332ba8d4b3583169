#!/usr/bin/env node
// `npm test`: lint, type-check, then the vitest projects unit, infra, integration and e2e,
// ending with the plain `N passed, N failed` line CI reads. Lint and type-check count as one
// check each. `npm run test:chaos` (`node scripts/test.mjs chaos`) runs only the chaos project
// (killed processes and restarted stores under faults: minutes), with the same closing line.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { ensureChromium } from "./ensure-chromium.mjs";

const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", NEXT_TELEMETRY_DISABLED: "1" };
let passed = 0;
let failed = 0;

function step(name, command, args) {
  console.log(`\n▶ ${name}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit", env });
  const ok = result.status === 0;
  console.log(`${ok ? "✓" : "✗"} ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return ok;
}

const chaos = process.argv[2] === "chaos";
if (process.argv[2] !== undefined && !chaos) {
  console.error(`unknown argument "${process.argv[2]}": use no argument (npm test) or "chaos" (npm run test:chaos)`);
  process.exit(2);
}
const projects = chaos ? ["chaos"] : ["unit", "infra", "integration", "e2e"];

if (!chaos) env.CHROMIUM_PATH = ensureChromium();

for (const [name, args] of chaos ? [] : [
  ["lint", ["node_modules/eslint/bin/eslint.js", ".", "--max-warnings=0"]],
  ["typecheck", ["node_modules/typescript/bin/tsc", "--noEmit", "-p", "."]],
]) {
  if (step(name, process.execPath, args)) passed += 1;
  else failed += 1;
}

const reportDir = "tests/.reports";
const reportPath = `${reportDir}/vitest${chaos ? "-chaos" : ""}.json`;
mkdirSync(reportDir, { recursive: true });
rmSync(reportPath, { force: true });
const vitestOk = step(`tests (${projects.join(", ")})`, process.execPath, [
  "node_modules/vitest/vitest.mjs",
  "run",
  ...projects.flatMap((p) => ["--project", p]),
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${reportPath}`,
]);
try {
  const report = JSON.parse(readFileSync(reportPath, "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  // A suite that failed to load has no failed tests but must still fail the run.
  const brokenSuites = report.testResults.filter((s) => s.status === "failed" && s.assertionResults.every((a) => a.status !== "failed"));
  failed += brokenSuites.length;
  if (!vitestOk && report.numFailedTests === 0 && brokenSuites.length === 0) failed += 1;
} catch {
  console.error("vitest wrote no report; counting the test run as one failure");
  failed += 1;
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
