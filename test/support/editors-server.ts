/**
 * The editors' API served by the local server over the local stack (emulators + GACC mirror): what
 * the API test suites talk to over HTTP.
 */
import type { LocalEditors } from "../../local/editors.js";
import { type LocalStack, startLocalStack } from "./local-stack.js";

export interface EditorsServer {
  stack: LocalStack;
  editors: LocalEditors;
  server: { url: string; stop(): Promise<void> };
  /** Waits for runs in flight, then stops the server and the stack. */
  stop(): Promise<void>;
}

export async function startEditorsServer(options: { token: string; since: number }): Promise<EditorsServer> {
  const stack = await startLocalStack();
  // Imported after the stack is up: the local stack configures the emulators' endpoints first.
  const { createLocalEditors } = await import("../../local/editors.js");
  const { startLocalServer } = await import("../../local/server.js");
  const editors = createLocalEditors(options);
  const server = await startLocalServer({ charts: editors.deps.charts, port: 0, api: editors.route });
  return {
    stack,
    editors,
    server,
    async stop() {
      await editors.launcher.idle();
      await server.stop();
      await stack.stop();
    },
  };
}
