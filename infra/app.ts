/**
 * CDK app entry (`npm run synth`, `npm run deploy -- --context stage=prod`).
 *
 * - Stage from `--context stage=<name>` (default dev), settings from cdk.json `stages.<name>`.
 * - Handlers: every file in infra/handlers.ts must exist (synth stops naming a missing one).
 * - Environment-agnostic stack (no account/region): synth needs no credentials and makes no lookups.
 * - cdk-nag's AwsSolutions pack runs as a CDK validation plugin: any unacknowledged finding fails synth.
 */
import { App, Tags, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { stageConfig } from "./config.js";
import { GaccTradeChartsStack } from "./gacc-trade-charts-stack.js";
import { handlerEntries } from "./handlers.js";

const app = new App();
const config = stageConfig(app.node);

new GaccTradeChartsStack(app, config.stackName, {
  stackName: config.stackName,
  description: `GACC trade statistics to newsroom chart files (${config.stage})`,
  config,
  handlers: handlerEntries(),
});

Tags.of(app).add("project", "gacc-trade-charts");
Tags.of(app).add("stage", config.stage);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
