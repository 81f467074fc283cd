/**
 * The editors' API as plain data: a request in, a response out. The local server (node:http) and the
 * Lambda handler (API Gateway HTTP API, payload v2) both adapt to these shapes, so the routes, the
 * auth rules and the error bodies are the same code in both places.
 */
import {
  CannotProcess,
  describeError,
  InvalidRequest,
  NotFound,
  PipelineError,
  RequestRefused,
  RunInProgress,
  StateConflict,
  TooLarge,
  UploadFlowConflict,
} from "../domain/errors.js";

/** Who is calling, once the adapter has checked their credentials. */
export interface Identity {
  /** Stable id: Cognito `sub`, or "local" for the local editor token. */
  id: string;
  /** For the audit log: e-mail or user name. */
  name: string;
  groups: string[];
  via: "local-token" | "cognito";
}

export interface ApiRequest {
  method: string;
  /** Path without query string, e.g. "/api/runs/2026...". */
  path: string;
  query: URLSearchParams;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: Uint8Array;
  /** Set by the adapter when the caller proved who they are; undefined for anonymous calls. */
  identity: Identity | undefined;
  /** Why credentials were refused, when some were sent (for the 401 message). */
  authProblem?: string | undefined;
}

export interface ApiResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialized as JSON. */
  body: unknown;
}

/** An error with the HTTP status it answers with, and a message an editor can act on. */
export class ApiError extends PipelineError {
  readonly retryable = false;
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string, extra?: Record<string, unknown>) =>
  new ApiError(400, "BAD_REQUEST", message, extra);
export const notFound = (message: string) => new ApiError(404, "NOT_FOUND", message);
export const conflict = (code: string, message: string, extra?: Record<string, unknown>) =>
  new ApiError(409, code, message, extra);
export const unprocessable = (code: string, message: string, extra?: Record<string, unknown>) =>
  new ApiError(422, code, message, extra);

/** The status each kind of refused request answers with (use cases throw domain errors, never HTTP). */
function refusalStatus(err: RequestRefused): number {
  if (err instanceof InvalidRequest) return 400;
  if (err instanceof NotFound) return 404;
  if (err instanceof StateConflict) return 409;
  if (err instanceof TooLarge) return 413;
  if (err instanceof CannotProcess) return 422;
  return 400;
}

/** Pipeline errors that are about the request or the state of things, and the status they answer with. */
const STATUS_BY_CODE: Record<string, number> = {
  RUN_IN_PROGRESS: 409,
  LAYOUT_CHANGED: 422,
  NO_TABLE: 422,
  RELEASE_REJECTED: 422,
  PUBLISH_HELD: 409,
  STORE_UNAVAILABLE: 503,
  UPSTREAM_UNAVAILABLE: 503,
  CHOICE_NEEDED: 400,
  FLOW_CONFLICT: 409,
  CONFIGURATION: 500,
  STORE_INTEGRITY: 500,
};

export function json(status: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  return { status, body, headers };
}

/**
 * Any thrown value → a JSON error body with a code and a message, never `{}`. The message is the
 * editor's (what happened, what to do); engineer detail (a library's own words) goes in
 * `error.detail`, which the console shows only under "Details".
 */
export function errorResponse(err: unknown): ApiResponse {
  if (err instanceof ApiError) {
    const { detail, ...extra } = err.extra;
    const error =
      detail === undefined
        ? { code: err.code, message: err.message }
        : { code: err.code, message: err.message, detail };
    return json(err.status, { error, ...extra });
  }
  if (err instanceof RequestRefused) {
    return json(refusalStatus(err), { error: { code: err.code, message: err.message }, ...err.details });
  }
  const described = describeError(err);
  const extra: Record<string, unknown> =
    err instanceof RunInProgress
      ? { runningId: err.runningId }
      : err instanceof UploadFlowConflict
        ? { earlierReleaseId: err.earlierReleaseId }
        : {};
  const status = err instanceof PipelineError ? (STATUS_BY_CODE[err.code] ?? 500) : 500;
  if (status === 500 && !(err instanceof PipelineError)) {
    const message =
      "Something went wrong on our side. Nothing was changed by this request; try again, and tell an engineer if it keeps happening.";
    return json(status, { error: { code: described.code, message, detail: described.message }, ...extra });
  }
  return json(status, { error: { code: described.code, message: described.message }, ...extra });
}

export function serialize(res: ApiResponse): {
  status: number;
  headers: Record<string, string>;
  body: string;
} {
  return {
    status: res.status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      ...res.headers,
    },
    body: `${JSON.stringify(res.body, null, 2)}\n`,
  };
}
