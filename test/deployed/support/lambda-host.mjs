// One warm Lambda execution environment: loads the bundle CDK built (argv[2] = index.mjs, argv[3] =
// exported handler name) once, then runs invocations sent over IPC one at a time, like the Node.js
// runtime does. The context carries the function's deadline (getRemainingTimeInMillis). Replies with
// the result or the error as Lambda reports it (errorType = err.name), the invocation's duration and
// the process's own peak RSS so far (peak-rss.mjs). Plain JavaScript: it must run without tsx, as the bundle does.
import { pathToFileURL } from "node:url";
import { peakRssKb } from "./peak-rss.mjs";

const [file, exportName] = process.argv.slice(2);
const mod = await import(pathToFileURL(file).href);
const handler = mod[exportName];
if (typeof handler !== "function") throw new Error(`${file} exports no function ${exportName}`);

process.on("message", async (msg) => {
  const started = performance.now();
  const deadline = Date.now() + msg.timeoutMs;
  const context = {
    functionName: msg.functionName,
    functionVersion: "$LATEST",
    memoryLimitInMB: String(msg.memoryMb),
    awsRequestId: msg.id,
    invokedFunctionArn: msg.functionArn,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    callbackWaitsForEmptyEventLoop: true,
  };
  let reply;
  try {
    const result = await handler(msg.event, context);
    reply = { ok: true, result: result === undefined ? null : result };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    reply = { ok: false, errorType: e.name, errorMessage: e.message, trace: (e.stack ?? "").split("\n") };
  }
  process.send({
    id: msg.id,
    ...reply,
    durationMs: performance.now() - started,
    maxRssKb: peakRssKb(),
  });
});
process.send({ ready: true });
