/**
 * What the editors' use cases need (the ports are injected: no HTTP, no SDK here), and the limits they
 * hold requests to.
 */
import { CHART_DEFINITIONS } from "../../domain/charts/definitions.js";
import { InvalidRequest } from "../../domain/errors.js";
import type { ChartHoldStore, RawStore, ReleaseStore, RunLauncher, UploadInbox } from "../../domain/ports.js";
import type { Actor, AuditAction } from "../../domain/runs.js";
import type { NormalizeDeps } from "../../pipeline/normalize-release.js";
import type { RunDeps } from "../../pipeline/runs/lifecycle.js";

export interface EditorDeps extends RunDeps {
  releases: ReleaseStore;
  raw: RawStore;
  launcher: RunLauncher;
  /** Where uploads are staged for their run (the raw bucket's uploads/ prefix). */
  uploads: UploadInbox;
  normalize: NormalizeDeps;
  /** Charts the publish guard held back: listed, and checked before an acceptance's run starts (the run
   * records the acceptance and publishes; the API writes no hold). */
  holds: ChartHoldStore;
  /** The deployment stage ("prod", "local"), shown in the status view; not a pipeline step. */
  deploymentStage: string;
}

export const MAX_REASON_CHARS = 1000;

export const KNOWN_CHARTS = CHART_DEFINITIONS.map((d) => d.id);

/** The reason an editor gives for accepting something (kept in the audit log): required, and short. */
export function requiredReason(value: unknown, askFor: string): string {
  const reason = typeof value === "string" ? value.trim() : "";
  if (!reason) throw new InvalidRequest(askFor);
  if (reason.length > MAX_REASON_CHARS)
    throw new InvalidRequest(`Keep the reason under ${MAX_REASON_CHARS} characters.`);
  return reason;
}

/**
 * Records an editor's request refused before any run started (accepting something no longer held
 * back): the audit log shows what was asked, by whom, with their reason, and why not.
 */
export async function auditRefused(
  deps: EditorDeps,
  by: Actor,
  refused: { action: AuditAction; target: string; reason: string; why: string },
): Promise<void> {
  const now = deps.now();
  await deps.audit.putAudit({
    id: `${refused.action}-${refused.target}-${now.getTime()}`,
    at: now.toISOString(),
    by,
    action: refused.action,
    target: refused.target,
    details: { reason: refused.reason },
    result: "refused",
    message: `Refused: ${refused.why}`,
  });
}
