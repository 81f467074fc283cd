/**
 * A whole local stack for integration tests: dynalite + s3rver in a temp dir, the GACC mirror, and
 * the environment the handlers read. Real protocol implementations, no mocks of our own code.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulators } from "../../local/emulators.js";
import { type Mirror, startMirror } from "../../local/mirror/server.js";

export interface LocalStack {
  mirror: Mirror;
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startLocalStack(): Promise<LocalStack> {
  const dir = await mkdtemp(join(tmpdir(), "gacc-it-"));
  const emulators = await startEmulators({ dataDir: dir, fresh: true });
  const mirror = await startMirror();
  const env = {
    ...emulators.env,
    GACC_BASE_URL: mirror.baseUrl,
    ALLOWED_HOSTS: new URL(mirror.baseUrl).host,
    CHARTS_PUBLIC_URL: "http://charts.test",
    STAGE: "test",
  };
  Object.assign(process.env, env);
  return {
    mirror,
    env,
    async stop() {
      const { resetClients } = await import("../../functions/adapters/aws-clients.js");
      resetClients();
      await mirror.stop();
      await emulators.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
