/**
 * Once per test run: bundle the console's chart previews (console/build/charts.js), which the
 * browser tests load through the local server as `npm start` does after its prestart build.
 */
import { buildConsoleCharts } from "../../infra/console-bundle.js";

export default async function setup(): Promise<void> {
  await buildConsoleCharts();
}
