/**
 * Stage settings, read from cdk.json context (`stages.<name>`) and chosen with `--context stage=prod`
 * (default `dev`). Everything that differs between stages is here, validated once, with errors that
 * say which key to fix.
 */
import { RemovalPolicy } from "aws-cdk-lib";
import { RetentionDays } from "aws-cdk-lib/aws-logs";
import type { Node } from "constructs";

export interface StageConfig {
  /** "dev" or "prod". */
  stage: string;
  stackName: string;
  /** CloudWatch Logs retention for every function's and the state machine's log group. */
  logRetention: RetentionDays;
  /** Who gets alarm e-mails (SNS e-mail subscriptions; each recipient confirms once). */
  alarmEmails: string[];
  /**
   * What happens to derived, rebuildable data (charts bucket, log groups) when the stack is deleted.
   * The raw archive, the table and the access-log bucket are always retained: fetched pages cannot be
   * fetched again once GACC changes them.
   */
  derivedDataRemoval: RemovalPolicy;
  /** GACC English site (or a mirror) and the hosts the fetcher may contact. */
  gaccBaseUrl: string;
  allowedHosts: string[];
  /**
   * The name the editors' API answers on behind CloudFront (API Gateway's default execute-api endpoint
   * is disabled), in a Route 53 public hosted zone the newsroom owns: the stack adds the record and a
   * DNS-validated certificate for it. Nobody needs to know this name; editors use the console's URL.
   */
  apiOrigin: ApiOriginConfig;
}

export interface ApiOriginConfig {
  /** e.g. editors-api-origin.data.example-news.org */
  domainName: string;
  /** The Route 53 public hosted zone that holds domainName: its id and its name. */
  hostedZoneId: string;
  zoneName: string;
}

interface RawStage {
  stackName?: unknown;
  logRetentionDays?: unknown;
  alarmEmails?: unknown;
  derivedDataRemoval?: unknown;
  gaccBaseUrl?: unknown;
  allowedHosts?: unknown;
  apiOrigin?: unknown;
}

export const DEFAULT_STAGE = "dev";

/** Reads and checks the stage named by the `stage` context value from the `stages` context map. */
export function stageConfig(node: Node): StageConfig {
  const stage = String(node.tryGetContext("stage") ?? DEFAULT_STAGE);
  const stages = (node.tryGetContext("stages") ?? {}) as Record<string, RawStage | undefined>;
  const raw = stages[stage];
  if (!raw) {
    throw new Error(
      `Unknown stage "${stage}": cdk.json context "stages" defines ${Object.keys(stages).join(", ") || "none"}. ` +
        "Pass --context stage=<one of them>.",
    );
  }
  const where = (key: string) => `cdk.json context stages.${stage}.${key}`;
  const str = (key: keyof RawStage): string => {
    const v = raw[key];
    if (typeof v !== "string" || v.trim() === "") throw new Error(`${where(key)} must be a non-empty string`);
    return v;
  };
  const strings = (key: keyof RawStage): string[] => {
    const v = raw[key];
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
      throw new Error(`${where(key)} must be an array of strings`);
    }
    return v as string[];
  };

  const days = raw.logRetentionDays;
  const known = Object.values(RetentionDays).filter((v): v is number => typeof v === "number");
  if (typeof days !== "number" || !known.includes(days)) {
    throw new Error(
      `${where("logRetentionDays")} must be one of CloudWatch's retention periods: ${known.join(", ")}`,
    );
  }

  const emails = strings("alarmEmails");
  for (const e of emails) {
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e))
      throw new Error(`${where("alarmEmails")}: "${e}" is not an e-mail address`);
  }

  const removal = str("derivedDataRemoval");
  if (removal !== "retain" && removal !== "destroy") {
    throw new Error(`${where("derivedDataRemoval")} must be "retain" or "destroy"`);
  }

  const gaccBaseUrl = str("gaccBaseUrl");
  if (!/^https?:\/\/[^/]+\/$/.test(gaccBaseUrl)) {
    throw new Error(
      `${where("gaccBaseUrl")} must be an http(s) origin ending with "/", e.g. http://english.customs.gov.cn/`,
    );
  }
  const allowedHosts = strings("allowedHosts");
  if (allowedHosts.length === 0) throw new Error(`${where("allowedHosts")} must list at least one host`);

  const apiOrigin = readApiOrigin(raw.apiOrigin, where("apiOrigin"));

  return {
    stage,
    stackName: str("stackName"),
    logRetention: days as RetentionDays,
    alarmEmails: emails,
    derivedDataRemoval: removal === "retain" ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    gaccBaseUrl,
    allowedHosts,
    apiOrigin,
  };
}

const DNS_NAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

function readApiOrigin(value: unknown, where: string): ApiOriginConfig {
  const shape = `{ "domainName": "editors-api-origin.<your zone>", "hostedZoneId": "Z…", "zoneName": "<your zone>" }`;
  if (typeof value !== "object" || value === null) {
    throw new Error(
      `${where} must be ${shape}: the editors' API answers only behind CloudFront, on a name in a Route 53 zone you own.`,
    );
  }
  const v = value as Record<string, unknown>;
  const text = (key: string): string => {
    const x = v[key];
    if (typeof x !== "string" || x.trim() === "")
      throw new Error(`${where}.${key} must be a non-empty string (${shape})`);
    return x.trim().toLowerCase().replace(/\.$/, "");
  };
  const domainName = text("domainName");
  const zoneName = text("zoneName");
  const hostedZoneId = v.hostedZoneId;
  if (typeof hostedZoneId !== "string" || !/^Z[A-Z0-9]{1,31}$/.test(hostedZoneId)) {
    throw new Error(`${where}.hostedZoneId must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ`);
  }
  if (!DNS_NAME.test(domainName)) throw new Error(`${where}.domainName "${domainName}" is not a DNS name`);
  if (!DNS_NAME.test(zoneName)) throw new Error(`${where}.zoneName "${zoneName}" is not a DNS name`);
  if (!domainName.endsWith(`.${zoneName}`)) {
    throw new Error(`${where}.domainName "${domainName}" must be a name inside the zone "${zoneName}"`);
  }
  return { domainName, hostedZoneId, zoneName };
}
