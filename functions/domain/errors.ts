/**
 * Typed errors. Each says what happened and what to do, in words an editor understands.
 * `code` is stable for programs; `message` is for people.
 */
import type { CheckFinding } from "./model.js";

export abstract class PipelineError extends Error {
  abstract readonly code: string;
  /** Whether trying again later may succeed (network trouble) or not (a bad page). */
  abstract readonly retryable: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
  toJSON(): { code: string; name: string; message: string } {
    return { code: this.code, name: this.name, message: this.message };
  }
}

/** GACC (or the mirror) could not be reached or answered with an error: try again later. */
export class UpstreamUnavailable extends PipelineError {
  readonly code = "UPSTREAM_UNAVAILABLE";
  readonly retryable = true;
  constructor(
    message: string,
    readonly url: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The upstream answered, but with something we must not use (challenge page, oversized, wrong host). */
export class UpstreamRefused extends PipelineError {
  readonly code = "UPSTREAM_REFUSED";
  readonly retryable = false;
  constructor(
    message: string,
    readonly url: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** A page or file could not be read as the layout we know: nothing from it is used. */
export class LayoutChanged extends PipelineError {
  readonly code = "LAYOUT_CHANGED";
  readonly retryable = false;
}

/** The page holds no data table (e.g. 2018 pages that show an image). */
export class NoTableOnPage extends PipelineError {
  readonly code = "NO_TABLE";
  readonly retryable = false;
}

/** A release failed a blocking check: it is quarantined and nothing from it is published. */
export class ReleaseRejected extends PipelineError {
  readonly code = "RELEASE_REJECTED";
  readonly retryable = false;
  constructor(
    readonly releaseId: string,
    readonly reasons: CheckFinding[],
  ) {
    super(
      `Release ${releaseId} was held back: ${reasons.map((r) => r.message).join("; ")}. ` +
        "Nothing from it was published; the last good charts are still served. An editor can review and accept it.",
    );
  }
}

/** A required setting is missing or malformed. */
export class ConfigurationError extends PipelineError {
  readonly code = "CONFIGURATION";
  readonly retryable = false;
}

/** Another run holds the pipeline lock. */
export class RunInProgress extends PipelineError {
  readonly code = "RUN_IN_PROGRESS";
  readonly retryable = true;
  constructor(readonly runningId: string) {
    super(`Run ${runningId} is already in progress; wait for it to finish.`);
  }
}

/** A chart change was held back by the publish guard until an editor accepts it. */
export class PublishHeld extends PipelineError {
  readonly code = "PUBLISH_HELD";
  readonly retryable = false;
}

/** Turns anything thrown into a message fit for a run report, never "{}" or "[object Object]". */
export function describeError(err: unknown): { code: string; message: string } {
  if (err instanceof PipelineError) return { code: err.code, message: err.message };
  if (err instanceof Error) return { code: "UNEXPECTED", message: `${err.name}: ${err.message}` };
  return { code: "UNEXPECTED", message: String(err) };
}

/** S3 or DynamoDB could not be reached, throttled us past the retry budget, or left writes unfinished:
 * nothing is lost by trying the whole run again later. */
export class StoreUnavailable extends PipelineError {
  readonly code = "STORE_UNAVAILABLE";
  readonly retryable = true;
  constructor(
    message: string,
    readonly store: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Stored data contradicts itself (an archived page would be overwritten with other bytes, or an
 * archived page is missing): an engineer must look; retrying will not help. */
export class StoreIntegrityError extends PipelineError {
  readonly code = "STORE_INTEGRITY";
  readonly retryable = false;
  constructor(
    message: string,
    readonly store: string,
    readonly key: string,
  ) {
    super(message);
  }
}

/** Accepting a held-back release needs a choice the editor has not made (e.g. which currency). */
export class ChoiceNeeded extends PipelineError {
  readonly code = "CHOICE_NEEDED";
  readonly retryable = false;
}

/** An uploaded file is already stored under the other flow: the same file cannot be both. */
export class UploadFlowConflict extends PipelineError {
  readonly code = "FLOW_CONFLICT";
  readonly retryable = false;
  constructor(
    message: string,
    readonly earlierReleaseId: string,
  ) {
    super(message);
  }
}

/**
 * A request that cannot be done as asked, said so the editor can act. Use cases throw these; the HTTP
 * layer (functions/api/http.ts) answers each kind with its status. `details` go into the answer beside
 * the message (e.g. the new preview, the run that recorded the refusal).
 */
export abstract class RequestRefused extends PipelineError {
  readonly retryable = false;
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The request itself is malformed or incomplete (a missing reason, an unknown chart id in a list). */
export class InvalidRequest extends RequestRefused {
  constructor(message: string, details?: Record<string, unknown>) {
    super("BAD_REQUEST", message, details);
  }
}

/** What the request names does not exist (a run, a release, a chart). */
export class NotFound extends RequestRefused {
  constructor(message: string) {
    super("NOT_FOUND", message);
  }
}

/** The request clashes with the state of things (a release not held back, a preview that changed). */
export class StateConflict extends RequestRefused {}

/** The request is well formed but what it carries cannot be used (a file that is not an export). */
export class CannotProcess extends RequestRefused {}

/** What was sent is larger than the use case takes. */
export class TooLarge extends RequestRefused {
  constructor(message: string) {
    super("TOO_LARGE", message);
  }
}
