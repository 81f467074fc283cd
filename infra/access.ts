/**
 * What each function may do, and why: the one list the stack's grants are made from
 * (infra/gacc-trade-charts-stack.ts → grantAccess) and the deployed-shape run checks against the calls
 * each function really makes (test/deployed/: every call allowed, no action granted that no path uses).
 *
 * Table grants are scoped by partition (`dynamodb:LeadingKeys`, `ForAllValues:StringLike`): the key
 * design gives each kind of item its own partitions (functions/adapters/dynamo-store.ts,
 * dynamo-runs.ts, dynamo-holds.ts), so a function may touch only the kinds it works with. No function
 * here may Scan; only the run lock's item is ever deleted (by the API and `scheduled`, releasing it).
 * Object grants name a key prefix where the design gives one (uploads/, raw/).
 *
 * The editors' API writes no figures, no hold and no chart file, and sends no alert: what editors ask
 * for (a refresh, an upload, accepting a held-back release or chart) is a run of the workflow, done by
 * the pipeline's functions; the API checks the request, records and audits the run, starts it and
 * follows it. Its writes are runs, the lock, the audit log and staged uploads.
 */
import {
  AUDIT_PK,
  HOLD_PK,
  LOCK_PK,
  RELEASE_PK,
  RUN_PK,
  seriesPk,
} from "../functions/adapters/dynamo-keys.js";
import { ARCHIVE_PREFIX, UPLOADS_PREFIX } from "../functions/domain/raw-keys.js";

export type DynamoAction =
  | "dynamodb:GetItem"
  | "dynamodb:PutItem"
  | "dynamodb:UpdateItem"
  | "dynamodb:DeleteItem"
  | "dynamodb:Query"
  | "dynamodb:BatchGetItem"
  | "dynamodb:BatchWriteItem";
export type ObjectAction = "s3:GetObject" | "s3:PutObject";

export interface TableGrant {
  /** Partition-key patterns (StringLike): e.g. "RELEASE", "S#*". */
  partitions: string[];
  actions: DynamoAction[];
  why: string;
}

/** Object actions on a bucket, on keys matching `keys` (an S3 key pattern; every key when absent). */
export interface ObjectGrant {
  actions: ObjectAction[];
  why: string;
  keys?: string;
}

export interface FunctionAccess {
  table: TableGrant[];
  /** Query on gsi1 (cross-sections), with the reason; only observations carry gsi1 keys. */
  crossSections?: string;
  raw?: ObjectGrant | ObjectGrant[];
  charts?: ObjectGrant | ObjectGrant[];
  /** RAW_BUCKET set without any access (the editors' wiring names it; this function never reads it). */
  namesRawOnly?: string;
  /** CHARTS_BUCKET and CHARTS_PUBLIC_URL set without any access (the editors' wiring names them). */
  namesChartsOnly?: string;
  /** StartExecution on the pipeline, DescribeExecution + GetExecutionHistory on its executions. */
  startsRuns?: string;
  /** sns:Publish on the release-alerts topic (and the two actions on its key SNS needs for it). */
  releaseAlerts?: string;
}

/** Partition patterns, from the adapters' own key functions (one home for the key design). */
export const PARTITIONS = {
  releases: RELEASE_PK,
  series: `${seriesPk("")}*`,
  holds: HOLD_PK,
  runs: RUN_PK,
  lock: LOCK_PK,
  audit: AUDIT_PK,
} as const;

/**
 * Granted because another granted action needs it to behave as the code expects, not because it is
 * called: GetObject/HeadObject on a missing key answers 404 (NoSuchKey, "not archived yet") only to a
 * caller that may ListBucket; without it S3 answers 403 and the adapters would report "access denied".
 */
export const IMPLIED_ACTIONS: Record<string, { by: string; why: string }> = {
  "kms:GenerateDataKey": {
    by: "sns:Publish",
    why: "the release-alerts topic is encrypted with its own key: SNS encrypts a message with the publisher's access to it",
  },
  "kms:Decrypt": {
    by: "sns:Publish",
    why: "the release-alerts topic is encrypted with its own key: SNS needs the publisher's access to it",
  },
  "s3:ListBucket": {
    by: "s3:GetObject",
    why: "a missing key answers 404 (not 403) only to a caller that may list the bucket",
  },
};

/** Granted to every function for the Lambda runtime itself, not for our code's SDK calls. */
export const RUNTIME_ACTIONS: Record<string, string> = {
  "logs:CreateLogStream": "the runtime writes the function's logs to its own log group",
  "logs:PutLogEvents": "the runtime writes the function's logs to its own log group",
  "xray:PutTraceSegments": "active tracing (Tracing.ACTIVE)",
  "xray:PutTelemetryRecords": "active tracing (Tracing.ACTIVE)",
  // CDK's SqsDestination grants these three for the on-failure destination of `scheduled`.
  "sqs:SendMessage": "Lambda sends a failed asynchronous invocation of `scheduled` to the scheduler's DLQ",
  "sqs:GetQueueAttributes": "Lambda's on-failure destination (the scheduler's DLQ) for `scheduled`",
  "sqs:GetQueueUrl": "Lambda's on-failure destination (the scheduler's DLQ) for `scheduled`",
};

export const ACCESS = {
  fetch: {
    table: [
      {
        partitions: [PARTITIONS.releases],
        actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
        why: "looks up each release it sees, records new/changed ones, lists releases a crashed run left unfinished",
      },
    ],
    raw: {
      actions: ["s3:GetObject", "s3:PutObject"],
      why: "checks whether a page's bytes are archived (HeadObject) and archives new bytes",
    },
  },
  normalize: {
    table: [
      {
        partitions: [PARTITIONS.releases],
        actions: ["dynamodb:GetItem", "dynamodb:PutItem"],
        why: "reads the release it normalizes and records its status (normalizing, normalized, quarantined)",
      },
      {
        partitions: [PARTITIONS.series],
        actions: ["dynamodb:BatchGetItem", "dynamodb:BatchWriteItem"],
        why: "reads the stored values of the observations it parsed, writes only the changed ones and their revisions",
      },
      {
        partitions: [PARTITIONS.releases, PARTITIONS.series],
        actions: ["dynamodb:Query"],
        why: "an editor's acceptance (accept path): computes the preview the editor confirmed again, listing releases and reading each chart series, before writing anything",
      },
    ],
    crossSections:
      "an editor's acceptance: the preview builds cross-section charts too (one gsi1 partition per period)",
    raw: { actions: ["s3:GetObject"], why: "reads the archived page it normalizes" },
  },
  publish: {
    table: [
      {
        partitions: [PARTITIONS.releases, PARTITIONS.series],
        actions: ["dynamodb:Query"],
        why: "lists releases (provenance, the partly-written guard) and reads each chart series (one Query per series)",
      },
      {
        partitions: [PARTITIONS.holds],
        actions: ["dynamodb:GetItem", "dynamodb:PutItem"],
        why: "the publish guard reads an editor's acceptance of a held chart, and records a chart it holds back",
      },
    ],
    crossSections: "cross-section charts (top partners) read one gsi1 partition per period",
    charts: {
      actions: ["s3:GetObject", "s3:PutObject"],
      why: "compares each file with the published bytes and writes only the changed ones",
    },
    releaseAlerts: "sends one release alert per run with new facts, before writing the facts files",
  },
  upload: {
    table: [
      {
        partitions: [PARTITIONS.releases],
        actions: ["dynamodb:GetItem", "dynamodb:PutItem"],
        why: "looks up the upload's release under both flows, records it (and a replaced reading), then its status as it normalizes",
      },
      {
        partitions: [PARTITIONS.series],
        actions: ["dynamodb:BatchGetItem", "dynamodb:BatchWriteItem"],
        why: "reads the stored values of the observations it parsed, writes only the changed ones and their revisions",
      },
    ],
    raw: [
      {
        actions: ["s3:GetObject"],
        keys: `${UPLOADS_PREFIX}*`,
        why: "reads the bytes the editors' API staged (HeadObject first: did they arrive?)",
      },
      {
        actions: ["s3:GetObject", "s3:PutObject"],
        keys: `${ARCHIVE_PREFIX}*`,
        why: "archives the bytes at their content address (HeadObject first: already archived?) and reads them to normalize",
      },
    ],
  },
  scheduled: {
    table: [
      {
        partitions: [PARTITIONS.lock],
        actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
        why: "reads who holds the run lock, takes it (or takes over one a finished run left), releases it when it sees that run end",
      },
      {
        partitions: [PARTITIONS.runs],
        actions: ["dynamodb:GetItem", "dynamodb:PutItem"],
        why: "reads the lock holder's run record and records its own run",
      },
      {
        partitions: [PARTITIONS.audit],
        actions: ["dynamodb:GetItem", "dynamodb:PutItem"],
        why: "audits the run it started, and records the result of a run it saw end",
      },
    ],
    namesChartsOnly:
      "the editors' wiring names the charts bucket; a run's start and end read no chart (publish reports each chart's changes)",
    namesRawOnly:
      "the editors' wiring (functions/composition.ts, editorDeps) names the raw bucket; a refresh never reads it",
    startsRuns:
      "starts the pipeline; follows the lock holder's execution to tell a finished run from a live one",
  },
  api: {
    table: [
      {
        partitions: [PARTITIONS.releases],
        actions: ["dynamodb:GetItem", "dynamodb:Query"],
        why: "lists releases (status, previews), reads the one an editor accepts or uploads under the other flow (an acceptance is recorded by its run, in the workflow)",
      },
      {
        partitions: [PARTITIONS.series],
        actions: ["dynamodb:Query", "dynamodb:BatchGetItem"],
        why: "a preview reads the series a held-back release would change and the stored values it would replace (accepting writes them in the workflow's accept path, not here)",
      },
      {
        partitions: [PARTITIONS.holds],
        actions: ["dynamodb:GetItem", "dynamodb:Query"],
        why: "lists the charts held back; reads the one an editor accepts, to refuse at once when it is not held (the acceptance is recorded by its run, in the workflow's held-chart path)",
      },
      {
        partitions: [PARTITIONS.runs],
        actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
        why: "records each run it starts and what it sees of it, lists recent runs",
      },
      {
        partitions: [PARTITIONS.lock],
        actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
        why: "takes the run lock (or takes over one a finished run left), releases it when it sees a run end",
      },
      {
        partitions: [PARTITIONS.audit],
        actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"],
        why: "audits what editors start and refuse (a request refused while a run is in progress is counted into one entry: UpdateItem), records each run's result, lists the audit log",
      },
    ],
    crossSections: "a preview builds cross-section charts: one gsi1 partition per period",
    raw: [
      {
        actions: ["s3:GetObject"],
        keys: `${ARCHIVE_PREFIX}*`,
        why: "a preview re-reads the archived page of the release an editor accepts",
      },
      {
        actions: ["s3:GetObject", "s3:PutObject"],
        keys: `${UPLOADS_PREFIX}*`,
        why: "stages an upload (its own PutObject, or the browser's PUT to the presigned address it signs) and checks that the bytes arrived (HeadObject)",
      },
    ],
    // Read only: every chart file (and the release alert) is written by the Publish function, in a run.
    charts: {
      actions: ["s3:GetObject"],
      why: "the status reads the chart index",
    },
    startsRuns:
      "starts the pipeline for refreshes, uploads and acceptances of held-back releases and charts; follows an execution to record its progress and end",
  },
} satisfies Record<string, FunctionAccess>;
