/**
 * The environment, read once and in one place. Every variable a handler needs goes through
 * `requireEnv` (which names what is missing and what it is for) or `optionalEnv`; nothing else in
 * the code base reads `process.env`.
 *
 * Infra sets each variable in the same place that grants the permission that goes with it; the
 * local runner (`npm start`) sets them from the emulators it starts.
 */

import { ConfigurationError } from "../domain/errors.js";
import { parseAllowedEntry } from "./fetch-allowlist.js";

/** What each variable is for, so a missing one produces a message an operator can act on. */
const PURPOSE: Record<string, string> = {
  RAW_BUCKET: "the S3 bucket that archives fetched GACC pages and uploads byte for byte",
  CHARTS_BUCKET: "the S3 bucket that holds the published chart files",
  TABLE_NAME: "the DynamoDB table that holds releases and observations",
  GACC_BASE_URL:
    "the base URL of the GACC English site or of its local mirror, e.g. http://english.customs.gov.cn",
  ALLOWED_HOSTS:
    "comma-separated hosts (http on 80, https on 443), host:port or scheme://host:port origins the fetcher may contact",
  FETCH_TIMEOUT_MS:
    "how many milliseconds the fetcher allows one GACC page (connection and download) before it gives up on that attempt (default 20000)",
  CHARTS_PUBLIC_URL: "the public base URL (CDN) under which chart files are served",
  STAGE: "the deployment stage name (e.g. prod, dev, local)",
  STATE_MACHINE_ARN:
    "the ARN of the pipeline's Step Functions state machine, which the editors' API starts when an editor asks for a refresh",
  EDITORS_GROUP: 'the Cognito group whose members may refresh, upload and accept (default "editors")',
  EDITOR_TOKEN:
    "the bearer token that stands for the local editor under `npm start` (generated and printed when unset; never used in AWS, where Cognito signs editors in)",
  AWS_REGION: "the AWS region",
  AWS_ENDPOINT_URL_S3: "an S3-compatible endpoint for local runs (s3rver)",
  AWS_ENDPOINT_URL_DYNAMODB: "a DynamoDB-compatible endpoint for local runs (dynalite)",
  AWS_ENDPOINT_URL_SNS: "an SNS-compatible endpoint for local runs and tests (a recording stand-in)",
  ORIGIN_VERIFY:
    "the value CloudFront adds as the x-origin-verify header to every /api request (deployed only; the API refuses requests without it, so it is reached through CloudFront only)",
  RELEASE_ALERTS_TOPIC_ARN:
    "the SNS topic that receives release alerts (new facts and sentences) for the newsroom; unset: no alert is sent (facts files are still written)",
};

const HOW_TO_FIX =
  "Set it in the function's environment (the CDK stack does this where it grants access), " +
  "or run locally with `npm start`, which sets it for you.";

type Source = Record<string, string | undefined>;

/** Reads a variable that must be set and non-empty; throws ConfigurationError naming it otherwise. */
export function requireEnv(name: string, source: Source = process.env): string {
  const value = source[name]?.trim();
  if (!value) {
    const purpose = PURPOSE[name] ?? "a required setting";
    throw new ConfigurationError(`Missing environment variable ${name}: ${purpose}. ${HOW_TO_FIX}`);
  }
  return value;
}

/** Reads a variable that may be absent; blank counts as absent. */
export function optionalEnv(name: string, source?: Source): string | undefined;
export function optionalEnv(name: string, fallback: string, source?: Source): string;
export function optionalEnv(name: string, a?: string | Source, b?: Source): string | undefined {
  const fallback = typeof a === "string" ? a : undefined;
  const source = (typeof a === "object" ? a : b) ?? process.env;
  const value = source[name]?.trim();
  return value ? value : fallback;
}

function requireUrl(name: string, source: Source): URL {
  const raw = requireEnv(name, source);
  return parseUrl(name, raw);
}

function parseUrl(name: string, raw: string): URL {
  try {
    const url = new URL(raw);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new TypeError("not http(s)");
    return url;
  } catch {
    throw new ConfigurationError(
      `Environment variable ${name} is not a valid http(s) URL: "${raw}". It should be ${PURPOSE[name] ?? "a URL"}.`,
    );
  }
}

/** Endpoints for local emulators; undefined in AWS, where the SDK finds the real ones. */
export interface AwsEndpoints {
  region: string;
  s3Endpoint: string | undefined;
  dynamoEndpoint: string | undefined;
  snsEndpoint: string | undefined;
  /** AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) when both are set: for clients a
   * local wiring builds itself (composition.ts); Lambda's clients find their credentials on their own. */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
}

export function readAwsEndpoints(source: Source = process.env): AwsEndpoints {
  const s3 = optionalEnv("AWS_ENDPOINT_URL_S3", source);
  const dynamo = optionalEnv("AWS_ENDPOINT_URL_DYNAMODB", source);
  const sns = optionalEnv("AWS_ENDPOINT_URL_SNS", source);
  const accessKeyId = optionalEnv("AWS_ACCESS_KEY_ID", source);
  const secretAccessKey = optionalEnv("AWS_SECRET_ACCESS_KEY", source);
  const sessionToken = optionalEnv("AWS_SESSION_TOKEN", source);
  return {
    region: optionalEnv("AWS_REGION", "us-east-1", source),
    s3Endpoint: s3 === undefined ? undefined : parseUrl("AWS_ENDPOINT_URL_S3", s3).href,
    dynamoEndpoint: dynamo === undefined ? undefined : parseUrl("AWS_ENDPOINT_URL_DYNAMODB", dynamo).href,
    snsEndpoint: sns === undefined ? undefined : parseUrl("AWS_ENDPOINT_URL_SNS", sns).href,
    credentials:
      accessKeyId && secretAccessKey
        ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) }
        : undefined,
  };
}

/**
 * Lazily read, memoized settings: each variable is read (and checked) the first time it is used,
 * then never again, so a handler that needs only the table does not demand the buckets.
 */
export interface Env {
  readonly rawBucket: string;
  readonly chartsBucket: string;
  readonly tableName: string;
  /** Base URL of GACC or its mirror, always ending with "/". */
  readonly gaccBaseUrl: string;
  /** Hosts the fetcher may contact: ALLOWED_HOSTS, or the host of GACC_BASE_URL when unset. */
  readonly allowedHosts: string[];
  /** Public base URL of the chart files (ends with "/"), or undefined when unset. */
  readonly chartsPublicUrl: string | undefined;
  /** FETCH_TIMEOUT_MS: the fetcher's time limit per page attempt, or undefined for its default. */
  readonly fetchTimeoutMs: number | undefined;
  /** STAGE: the deployment stage ("prod", "dev"); "local" when unset. Not a pipeline step. */
  readonly deploymentStage: string;
  /** The pipeline state machine the editors' API starts (AWS only). */
  readonly stateMachineArn: string;
  /** The local editor's bearer token, or undefined to generate one (local only). */
  readonly editorToken: string | undefined;
  /** The Cognito group allowed to write through the editors' API; "editors" when unset. */
  readonly editorsGroup: string;
  /** The release-alerts SNS topic, or undefined: then no alert is sent (local runs). */
  readonly releaseAlertsTopicArn: string | undefined;
  /** ORIGIN_VERIFY: what CloudFront's origin header must carry (deployed API), or undefined locally. */
  readonly originVerify: string | undefined;
  readonly aws: AwsEndpoints;
  /** Forgets what was read, so the next access reads the environment again (tests, local restarts). */
  reset(): void;
}

export function createEnv(source: Source = process.env): Env {
  const cache = new Map<keyof Env, unknown>();
  const once = <K extends keyof Env>(key: K, read: () => Env[K]): Env[K] => {
    if (!cache.has(key)) cache.set(key, read());
    return cache.get(key) as Env[K];
  };
  const withSlash = (u: URL): string => (u.href.endsWith("/") ? u.href : `${u.href}/`);
  return {
    get rawBucket() {
      return once("rawBucket", () => requireEnv("RAW_BUCKET", source));
    },
    get chartsBucket() {
      return once("chartsBucket", () => requireEnv("CHARTS_BUCKET", source));
    },
    get tableName() {
      return once("tableName", () => requireEnv("TABLE_NAME", source));
    },
    get gaccBaseUrl() {
      return once("gaccBaseUrl", () => withSlash(requireUrl("GACC_BASE_URL", source)));
    },
    get allowedHosts() {
      return once("allowedHosts", () => {
        const listed = optionalEnv("ALLOWED_HOSTS", source);
        // Unset: exactly the base URL's origin (scheme, host and port).
        if (listed === undefined) return [new URL(this.gaccBaseUrl).origin];
        const hosts = listed
          .split(",")
          .map((h) => h.trim().toLowerCase())
          .filter((h) => h.length > 0);
        if (hosts.length === 0) {
          throw new ConfigurationError(`Environment variable ALLOWED_HOSTS lists no host: "${listed}".`);
        }
        for (const h of hosts) {
          try {
            parseAllowedEntry(h);
          } catch (err) {
            throw new ConfigurationError(`Environment variable ALLOWED_HOSTS: ${(err as Error).message}.`);
          }
        }
        return hosts;
      });
    },
    get chartsPublicUrl() {
      return once("chartsPublicUrl", () => {
        const raw = optionalEnv("CHARTS_PUBLIC_URL", source);
        return raw === undefined ? undefined : withSlash(parseUrl("CHARTS_PUBLIC_URL", raw));
      });
    },
    get fetchTimeoutMs() {
      return once("fetchTimeoutMs", () => {
        const raw = optionalEnv("FETCH_TIMEOUT_MS", source);
        if (raw === undefined) return undefined;
        const ms = Number(raw);
        if (!Number.isInteger(ms) || ms <= 0) {
          throw new ConfigurationError(
            `Environment variable FETCH_TIMEOUT_MS is not a positive whole number of milliseconds: "${raw}". It is ${PURPOSE.FETCH_TIMEOUT_MS}.`,
          );
        }
        return ms;
      });
    },
    get deploymentStage() {
      return once("deploymentStage", () => optionalEnv("STAGE", "local", source));
    },
    get stateMachineArn() {
      return once("stateMachineArn", () => {
        const arn = requireEnv("STATE_MACHINE_ARN", source);
        if (!/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]+$/.test(arn)) {
          throw new ConfigurationError(
            `Environment variable STATE_MACHINE_ARN is not a state machine ARN: "${arn}". It should be ${PURPOSE.STATE_MACHINE_ARN}.`,
          );
        }
        return arn;
      });
    },
    get editorToken() {
      return once("editorToken", () => optionalEnv("EDITOR_TOKEN", source));
    },
    get editorsGroup() {
      return once("editorsGroup", () => optionalEnv("EDITORS_GROUP", "editors", source));
    },
    get releaseAlertsTopicArn() {
      return once("releaseAlertsTopicArn", () => {
        const arn = optionalEnv("RELEASE_ALERTS_TOPIC_ARN", source);
        if (arn !== undefined && !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+$/.test(arn)) {
          throw new ConfigurationError(
            `Environment variable RELEASE_ALERTS_TOPIC_ARN is not an SNS topic ARN: "${arn}". It should be ${PURPOSE.RELEASE_ALERTS_TOPIC_ARN}.`,
          );
        }
        return arn;
      });
    },
    get originVerify() {
      return once("originVerify", () => optionalEnv("ORIGIN_VERIFY", source));
    },
    get aws() {
      return once("aws", () => readAwsEndpoints(source));
    },
    reset() {
      cache.clear();
    },
  };
}

/** The process environment, read once per cold start. */
export const env: Env = createEnv();

/** Makes the shared `env` read process.env afresh on next access (e.g. after the local runner restarts
 * its emulators on other ports). */
export function resetEnv(): void {
  env.reset();
}
