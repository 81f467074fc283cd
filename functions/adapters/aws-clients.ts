/**
 * SDK clients, created once per process (reused across Lambda invocations) and only when first used.
 * In AWS the SDK finds endpoints and credentials itself; locally the endpoints come from
 * AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL_DYNAMODB (set by the local runner, see local/emulators.ts)
 * and the credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY as usual.
 *
 * The factories take an explicit config so tests and the local runner can build clients against
 * emulators without touching process.env.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { ConfigurationError, PipelineError, StoreUnavailable } from "../domain/errors.js";
import { readAwsEndpoints } from "./env.js";

export interface ClientConfig {
  region?: string | undefined;
  /** Emulator or VPC endpoint; when set for S3, path-style addressing is used. */
  endpoint?: string | undefined;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
  /** Total attempts per request including the first (the SDK backs off between them on throttles
   * and 5xx). */
  maxAttempts?: number | undefined;
}

/** S3: a few attempts ride out the occasional 503 SlowDown. */
export const S3_MAX_ATTEMPTS = 4;
/** DynamoDB: on-demand tables throttle briefly when traffic jumps; give the SDK room to back off. */
export const DYNAMODB_MAX_ATTEMPTS = 6;

export function createS3Client(config: ClientConfig = {}): S3Client {
  const defaults = readAwsEndpoints();
  const endpoint = config.endpoint ?? defaults.s3Endpoint;
  return new S3Client({
    region: config.region ?? defaults.region,
    maxAttempts: config.maxAttempts ?? S3_MAX_ATTEMPTS,
    ...(config.credentials ? { credentials: config.credentials } : {}),
    ...(endpoint
      ? {
          endpoint,
          // Emulators serve buckets by path, not by virtual host.
          forcePathStyle: true,
          // s3rver predates flexible checksums: compute/validate them only when an operation requires it,
          // so a streamed body is never sent aws-chunked to an emulator.
          requestChecksumCalculation: "WHEN_REQUIRED",
          responseChecksumValidation: "WHEN_REQUIRED",
        }
      : {}),
  });
}

export function createDynamoClient(config: ClientConfig = {}): DynamoDBClient {
  const defaults = readAwsEndpoints();
  const endpoint = config.endpoint ?? defaults.dynamoEndpoint;
  return new DynamoDBClient({
    region: config.region ?? defaults.region,
    maxAttempts: config.maxAttempts ?? DYNAMODB_MAX_ATTEMPTS,
    ...(config.credentials ? { credentials: config.credentials } : {}),
    ...(endpoint ? { endpoint } : {}),
  });
}

let s3: S3Client | undefined;
let dynamo: DynamoDBClient | undefined;

/** The process-wide S3 client, created on first use from the environment. */
export function s3Client(): S3Client {
  s3 ??= createS3Client();
  return s3;
}

/** The process-wide DynamoDB client, created on first use from the environment. */
export function dynamoClient(): DynamoDBClient {
  dynamo ??= createDynamoClient();
  return dynamo;
}

/** Destroys the shared clients (closing their sockets) so the next call builds new ones from the
 * environment; for the local runner's shutdown and for tests. */
export function resetClients(): void {
  s3?.destroy();
  dynamo?.destroy();
  s3 = undefined;
  dynamo = undefined;
}

interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  $fault?: "client" | "server";
  $metadata?: { httpStatusCode?: number };
}

const THROTTLES = new Set([
  "ThrottlingException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "SlowDown",
  "TooManyRequestsException",
  "InternalServerError",
  "ServiceUnavailable",
]);
const DENIED = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "UnrecognizedClientException",
  "InvalidAccessKeyId",
  "InvalidClientTokenId",
  "SignatureDoesNotMatch",
  "ExpiredToken",
  "ExpiredTokenException",
]);
const MISSING = new Set(["NoSuchBucket", "ResourceNotFoundException"]);

/** HTTP status of an SDK error, if it has one. */
export function httpStatusOf(err: unknown): number | undefined {
  return (err as SdkErrorShape | undefined)?.$metadata?.httpStatusCode;
}

/** Error name of an SDK error ("NoSuchKey", "NotFound", "ResourceInUseException"...). */
export function errorNameOf(err: unknown): string | undefined {
  return err instanceof Error ? err.name : (err as SdkErrorShape | undefined)?.name;
}

/**
 * Turns an SDK failure into the typed error the pipeline reports, after the SDK's own retries:
 * missing permission or resource → ConfigurationError; throttling, 5xx, network → StoreUnavailable
 * (retryable). Anything else (a request the service judged malformed: a bug) is returned unchanged,
 * never swallowed.
 */
export function storeFailure(err: unknown, store: string, action: string): unknown {
  if (err instanceof PipelineError) return err;
  const e = (err ?? {}) as SdkErrorShape;
  const name = e.name ?? "Error";
  const status = e.$metadata?.httpStatusCode;
  const detail = `${name}${e.message ? `: ${e.message}` : ""}`;
  if (DENIED.has(name) || status === 403) {
    return new ConfigurationError(
      `${store} refused access while trying to ${action} (${detail}). The function lacks permission or ` +
        "credentials for it: check the stack's grants (or, locally, that `npm start` set the endpoints).",
      { cause: err },
    );
  }
  if (MISSING.has(name)) {
    return new ConfigurationError(
      `${store} does not exist (while trying to ${action}: ${detail}). Check the bucket/table name ` +
        "in the environment and that the stack is deployed.",
      { cause: err },
    );
  }
  const network = typeof e.code === "string" && /^(E[A-Z]+|UND_ERR)/.test(e.code);
  if (
    THROTTLES.has(name) ||
    e.$fault === "server" ||
    (status ?? 0) >= 500 ||
    network ||
    name === "TimeoutError"
  ) {
    return new StoreUnavailable(
      `Could not ${action} in ${store} (${detail}), even after retrying. This is usually temporary: ` +
        "run again later. Runs are idempotent, so nothing is duplicated.",
      store,
      { cause: err },
    );
  }
  return err;
}
