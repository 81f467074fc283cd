/**
 * What editors can see and do, one use case per module: the status (status.ts), a run's progress
 * (run-observation.ts), a refresh (refresh.ts), an upload of a query-platform export (upload.ts), the
 * acceptance of a held-back release (accept.ts) and of a held-back chart (held-charts.ts). This class
 * only binds them to their dependencies for the router (routes.ts). No HTTP in any of them: they throw
 * domain errors, which functions/api/http.ts answers with a status.
 *
 * Each use case is imported when its route is first called, not at a cold start: a status read never
 * loads the accept preview's chart building, and no route loads what it does not use. (One bundle, no
 * code splitting: the bytes are all there, but a module's top-level code runs on its first import.)
 */
import type { Actor } from "../../domain/runs.js";
import type { accept, previewAccept } from "./accept.js";
import type { EditorDeps } from "./deps.js";
import type { acceptChart } from "./held-charts.js";
import type { refresh } from "./refresh.js";
import type { startUpload, upload, uploadSlot } from "./upload.js";

export class EditorService {
  constructor(private readonly deps: EditorDeps) {}

  async status() {
    const { editorStatus } = await import("./status.js");
    return editorStatus(this.deps);
  }

  async run(runId: string) {
    const { runNow } = await import("./run-observation.js");
    return runNow(this.deps, runId);
  }

  async refresh(by: Actor, input: Parameters<typeof refresh>[2]) {
    const { refresh } = await import("./refresh.js");
    return refresh(this.deps, by, input);
  }

  async upload(by: Actor, input: Parameters<typeof upload>[2]) {
    const { upload } = await import("./upload.js");
    return upload(this.deps, by, input);
  }

  async uploadSlot(by: Actor, input: Parameters<typeof uploadSlot>[2]) {
    const { uploadSlot } = await import("./upload.js");
    return uploadSlot(this.deps, by, input);
  }

  async startUpload(by: Actor, sha256: string, input: Parameters<typeof startUpload>[3]) {
    const { startUpload } = await import("./upload.js");
    return startUpload(this.deps, by, sha256, input);
  }

  async previewAccept(by: Actor, releaseId: string, input: Parameters<typeof previewAccept>[3]) {
    const { previewAccept } = await import("./accept.js");
    return previewAccept(this.deps, by, releaseId, input);
  }

  async accept(by: Actor, releaseId: string, input: Parameters<typeof accept>[3]) {
    const { accept } = await import("./accept.js");
    return accept(this.deps, by, releaseId, input);
  }

  async acceptChart(by: Actor, chartId: string, input: Parameters<typeof acceptChart>[3]) {
    const { acceptChart } = await import("./held-charts.js");
    return acceptChart(this.deps, by, chartId, input);
  }
}
