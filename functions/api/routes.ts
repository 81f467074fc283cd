/**
 * The editors' API routes:
 *
 *   GET  /api/status                   latest run and its stages, releases, next release, charts, audit
 *   POST /api/refresh                  { "charts"?: [...], "recheckAll"?: bool } → 202 { runId } | 409 { runningId }
 *   GET  /api/runs/{id}                a run's progress and result
 *   POST /api/uploads                  a query-platform CSV, staged and run in the background (the request
 *                                      never reads it): → 202 { runId, releaseId } | 409 { runningId }
 *                                        JSON { fileName, flow, replace?, size, sha256 } → 201 a slot: PUT
 *                                        the bytes to `upload` (deployed: presigned S3), then POST `start`;
 *                                        or the file itself: multipart (file + flow) or the raw file with
 *                                        ?flow=imports|exports&filename=... → 202;
 *                                      409 FLOW_CONFLICT if the same file is stored under the other flow,
 *                                      unless "replace" = true (the earlier reading is then replaced)
 *   POST /api/uploads/{sha256}         { fileName, flow, replace? }: the slot's bytes are in; start → 202
 *   POST /api/releases/{id}/preview    { "resolution"?: { "currency": "title" | "unit-row" } } → 200, what
 *                                      accepting would publish (nothing written) and its previewSha256
 *   POST /api/releases/{id}/accept     { "reason", "resolution"?, "previewSha256" } → 202 { runId }: a run
 *                                      publishes the held-back release exactly as previewed (409 if it
 *                                      changed since; the run checks again and ends in PREVIEW_CHANGED)
 *   POST /api/charts/{id}/accept       { "reason": "...", "candidateSha256"?: "..." } → 202 { runId, chartId }:
 *                                      a run records the acceptance of the chart version the publish guard
 *                                      held back and publishes it (404 unknown chart; 409 NOT_HELD if no
 *                                      hold, or another version than candidateSha256 is held: the run
 *                                      checks again and ends in NOT_HELD, publishing nothing new)
 *
 * Writes need an editor (routes marked "write"); see router.ts for the rules.
 */

import { MAX_UPLOAD_BYTES } from "../domain/raw-keys.js";
import { type Actor, publicRun, type RunRecord } from "../domain/runs.js";
import type { EditorService } from "./editors/service.js";
import { type ApiRequest, badRequest, type Identity, json } from "./http.js";
import { parseMultipart } from "./multipart.js";
import { type ApiHandler, createRouter, type RouterOptions } from "./router.js";

function actorOf(identity: Identity | undefined): Actor {
  // Write routes are only reached with an identity (the router refuses others).
  return identity ? { id: identity.id, name: identity.name } : { id: "anonymous", name: "anonymous" };
}

function jsonBody(req: ApiRequest): Record<string, unknown> {
  const text = Buffer.from(req.body).toString("utf8").trim();
  if (text === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest(
      'The request body is not JSON. Send e.g. {} or {"charts": ["china-russia-trade-monthly"]}.',
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw badRequest("The request body must be a JSON object.");
  }
  return parsed as Record<string, unknown>;
}

/** The upload form's limits: one file up to the upload cap, a few short text fields (flow). */
const UPLOAD_FORM_LIMITS = { fileBytes: MAX_UPLOAD_BYTES, fieldBytes: 1024, files: 1, fields: 8 };

async function uploadOf(
  req: ApiRequest,
): Promise<{ bytes: Uint8Array; fileName: string; flow: unknown; replace: unknown }> {
  const type = req.headers["content-type"] ?? "";
  const queryFlow = req.query.get("flow") ?? undefined;
  const queryReplace = req.query.get("replace") ?? undefined;
  if (/^multipart\/form-data/i.test(type)) {
    const form = await parseMultipart(req.body, type, UPLOAD_FORM_LIMITS);
    const file = form.files.find((f) => f.name === "file") ?? form.files[0];
    if (!file) throw badRequest('The form has no file. Send the CSV in a field named "file".');
    const flow = form.fields.get("flow");
    const replace = form.fields.get("replace");
    return {
      bytes: file.data,
      fileName: file.fileName || req.query.get("filename") || "upload.csv",
      flow: flow !== undefined ? flow.trim() : queryFlow,
      replace: replace !== undefined ? replace.trim() : queryReplace,
    };
  }
  return {
    bytes: req.body,
    fileName: req.query.get("filename") ?? "upload.csv",
    flow: queryFlow,
    replace: queryReplace,
  };
}

/** An upload's or an acceptance's run started: 202 with the run to follow (and what it is about). */
function runStarted({
  run,
  ...about
}: {
  run: RunRecord;
  releaseId?: string;
  chartId?: string;
  preview?: unknown;
}) {
  const self = `/api/runs/${encodeURIComponent(run.runId)}`;
  return json(
    202,
    { runId: run.runId, status: run.status, ...about, run: publicRun(run), links: { self } },
    { location: self },
  );
}

export function createEditorsApi(service: EditorService, options: RouterOptions): ApiHandler {
  return createRouter(
    [
      {
        method: "GET",
        pattern: "/api/status",
        access: "read",
        handler: async () => json(200, await service.status()),
      },
      {
        method: "POST",
        pattern: "/api/refresh",
        access: "write",
        handler: async (req) => {
          const body = jsonBody(req);
          const run = await service.refresh(actorOf(req.identity), {
            charts: body.charts,
            recheckAll: body.recheckAll,
          });
          const self = `/api/runs/${encodeURIComponent(run.runId)}`;
          return json(
            202,
            { runId: run.runId, status: run.status, run: publicRun(run), links: { self } },
            { location: self },
          );
        },
      },
      {
        method: "GET",
        pattern: "/api/runs/{id}",
        access: "read",
        handler: async (_req, params) => json(200, publicRun(await service.run(params.id ?? ""))),
      },
      {
        method: "POST",
        pattern: "/api/uploads",
        access: "write",
        handler: async (req) => {
          const by = actorOf(req.identity);
          if (/^application\/json/i.test(req.headers["content-type"] ?? "")) {
            const body = jsonBody(req);
            return json(201, await service.uploadSlot(by, { ...body, flow: body.flow }));
          }
          return runStarted(await service.upload(by, await uploadOf(req)));
        },
      },
      {
        method: "POST",
        pattern: "/api/uploads/{sha256}",
        access: "write",
        handler: async (req, params) => {
          const body = jsonBody(req);
          const started = await service.startUpload(actorOf(req.identity), params.sha256 ?? "", {
            fileName: body.fileName,
            flow: body.flow,
            replace: body.replace,
          });
          return runStarted(started);
        },
      },
      {
        method: "POST",
        pattern: "/api/releases/{id}/preview",
        access: "write",
        handler: async (req, params) => {
          const body = jsonBody(req);
          return json(200, await service.previewAccept(actorOf(req.identity), params.id ?? "", body));
        },
      },
      {
        method: "POST",
        pattern: "/api/releases/{id}/accept",
        access: "write",
        handler: async (req, params) => {
          const body = jsonBody(req);
          return runStarted(await service.accept(actorOf(req.identity), params.id ?? "", body));
        },
      },
      {
        method: "POST",
        pattern: "/api/charts/{id}/accept",
        access: "write",
        handler: async (req, params) => {
          const body = jsonBody(req);
          return runStarted(await service.acceptChart(actorOf(req.identity), params.id ?? "", body));
        },
      },
    ],
    options,
  );
}
