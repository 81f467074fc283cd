/**
 * What editors can see and do, one use case per module: the status (status.ts), a run's progress
 * (run-observation.ts), a refresh (refresh.ts), an upload of a query-platform export (upload.ts), the
 * acceptance of a held-back release (accept.ts) and of a held-back chart (held-charts.ts). This class
 * only binds them to their dependencies for the router (routes.ts). No HTTP in any of them: they throw
 * domain errors, which functions/api/http.ts answers with a status.
 */
import type { Actor } from "../../domain/runs.js";
import { accept, previewAccept } from "./accept.js";
import type { EditorDeps } from "./deps.js";
import { acceptChart } from "./held-charts.js";
import { refresh } from "./refresh.js";
import { runNow } from "./run-observation.js";
import { editorStatus } from "./status.js";
import { startUpload, upload, uploadSlot } from "./upload.js";

export class EditorService {
  constructor(private readonly deps: EditorDeps) {}

  status() {
    return editorStatus(this.deps);
  }

  run(runId: string) {
    return runNow(this.deps, runId);
  }

  refresh(by: Actor, input: Parameters<typeof refresh>[2]) {
    return refresh(this.deps, by, input);
  }

  upload(by: Actor, input: Parameters<typeof upload>[2]) {
    return upload(this.deps, by, input);
  }

  uploadSlot(by: Actor, input: Parameters<typeof uploadSlot>[2]) {
    return uploadSlot(this.deps, by, input);
  }

  startUpload(by: Actor, sha256: string, input: Parameters<typeof startUpload>[3]) {
    return startUpload(this.deps, by, sha256, input);
  }

  previewAccept(by: Actor, releaseId: string, input: Parameters<typeof previewAccept>[3]) {
    return previewAccept(this.deps, by, releaseId, input);
  }

  accept(by: Actor, releaseId: string, input: Parameters<typeof accept>[3]) {
    return accept(this.deps, by, releaseId, input);
  }

  acceptChart(by: Actor, chartId: string, input: Parameters<typeof acceptChart>[3]) {
    return acceptChart(this.deps, by, chartId, input);
  }
}
