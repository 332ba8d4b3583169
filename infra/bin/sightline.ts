/**
 * The CDK app's entry point (cdk.json): `npm run infra:synth`, `npx cdk deploy --all`.
 * Settings come from `-c NAME=value` or the environment (infra/config/deploy-config.ts);
 * synthesizing needs no AWS credentials and no Docker.
 */
import { App } from "aws-cdk-lib";
import { createSightlineApp } from "@/infra/app";
import { loadDeployConfig } from "@/infra/config/deploy-config";
import { prepareConsoleBuild } from "@/infra/console/build-console";
import { describeError } from "@/lib/use-cases/describe-error";

try {
  // The CLI passes -c context through the environment; a bare App reads it. Not synthesized:
  // under the CLI an App synthesizes itself at exit unless told not to, and would overwrite
  // the real assembly with an empty one.
  const context = new App({ autoSynth: false });
  const config = loadDeployConfig((name) => context.node.tryGetContext(name));
  const consoleBuild = prepareConsoleBuild();
  const { app } = createSightlineApp({ config, consoleBuild, account: process.env.CDK_DEFAULT_ACCOUNT });
  app.synth();
} catch (error) {
  console.error(`sightline infra: ${describeError(error)}`);
  process.exit(1);
}
