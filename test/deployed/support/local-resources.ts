/**
 * THE mapping from the synthesized template to the local stand-ins, in one place. Everything a function
 * or role in the template refers to is resolved here; anything it does not know throws, so a new
 * reference in the stack fails the deployed-shape run until it is mapped on purpose.
 *
 *   template                                   locally
 *   ----------------------------------------   ------------------------------------------------------
 *   raw bucket (AWS::S3::Bucket "…Raw…")       s3rver bucket `rawBucket`     ARN arn:aws:s3:::<name>
 *   charts bucket (AWS::S3::Bucket "Charts…")  s3rver bucket `chartsBucket`
 *   table (AWS::DynamoDB::Table)               dynalite table `tableName`    ARN arn:aws:dynamodb:<region>:<account>:table/<name>
 *   pipeline state machine                     the local engine (local-sfn.ts), ARN …:stateMachine:<logical id>
 *   Lambda functions                           child processes, ARN …:function:<logical id>
 *   CloudFront distribution DomainName / Ref   CHARTS_DOMAIN (public chart URLs) / CHARTS_DISTRIBUTION_ID
 *   log groups, SQS queues (role policies)     arn:aws:logs:…:log-group:<logical id>:*, arn:aws:sqs:…:<logical id>
 *   release-alerts topic (AWS::SNS::Topic)     the SNS stand-in (test/support/sns-stand-in.ts), ARN …:sns:<region>:<account>:<logical id>
 *   origin-verify secret (AWS::SecretsManager)  {{resolve:secretsmanager:…}} → ORIGIN_VERIFY_VALUE (what CloudFront would send)
 *   Cognito user pool domain / app client      the domain's prefix (what Ref returns) / "<logical id>-client"
 *   for the console (console-bridge.ts):
 *     the distribution as the console's origin   the bridge's own http://127.0.0.1:<port> (console files, raw bucket CORS)
 *     the hosted sign-in (https://<prefix>.auth…) the bridge's sign-in stand-in, on a second port
 *     https://*.s3.<region>.amazonaws.com (CSP)  the S3 endpoint the API's presigned URLs name (its proxy)
 *   GACC_BASE_URL / ALLOWED_HOSTS values       the local GACC mirror's URL / host
 *   AWS::Region / AWS::AccountId / Partition   REGION / ACCOUNT / "aws"
 *
 * A Lambda's runtime adds AWS_REGION and credentials; locally the host adds those plus the endpoints
 * (AWS_ENDPOINT_URL_S3 / _DYNAMODB / _SFN / _SNS) pointing at the function's recording proxy. Nothing else is
 * added to a function's environment.
 */
export const REGION = "us-east-1";
export const ACCOUNT = "123456789012";
export const CHARTS_DOMAIN = "d111111abcdef8.cloudfront.net";
export const CHARTS_DISTRIBUTION_ID = "EDFDVBD6EXAMPLE";
/** The generated origin-verify value, locally: a caller playing CloudFront sends it as x-origin-verify. */
export const ORIGIN_VERIFY_VALUE = "local-origin-verify-0123456789abcdefghijklmnopqrstuv";

export interface LocalNames {
  rawBucket: string;
  chartsBucket: string;
  tableName: string;
  /** The template's GACC base URL and allowed hosts (the stage config), and their local values. */
  gacc: { templateBaseUrl: string; templateHosts: string; localBaseUrl: string; localHosts: string };
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

export class LocalResources {
  constructor(
    private readonly resources: Resources,
    readonly names: LocalNames,
  ) {}

  /** Logical id of the one resource of `type` whose id starts with `prefix`. */
  private only(type: string, prefix: string): string {
    const ids = Object.entries(this.resources)
      .filter(([id, r]) => r.Type === type && id.startsWith(prefix))
      .map(([id]) => id);
    if (ids.length !== 1) throw new Error(`expected one ${type} named ${prefix}*, found ${ids.join(", ")}`);
    return ids[0] as string;
  }

  get rawBucketId(): string {
    return this.only("AWS::S3::Bucket", "DataRaw");
  }
  get chartsBucketId(): string {
    return this.only("AWS::S3::Bucket", "ChartsBucket");
  }
  get tableId(): string {
    return this.only("AWS::DynamoDB::Table", "DataTable");
  }

  tableArn(): string {
    return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${this.names.tableName}`;
  }
  functionArn(logicalId: string): string {
    return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${logicalId}`;
  }
  stateMachineArn(logicalId: string): string {
    return `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${logicalId}`;
  }

  private ref(id: string): string {
    const type = this.resources[id]?.Type;
    if (id === this.rawBucketId) return this.names.rawBucket;
    if (id === this.chartsBucketId) return this.names.chartsBucket;
    if (id === this.tableId) return this.names.tableName;
    if (type === "AWS::StepFunctions::StateMachine") return this.stateMachineArn(id);
    if (type === "AWS::Lambda::Function") return id;
    // The charts bucket's policy lets CloudFront (origin access control) read it, naming the distribution.
    if (type === "AWS::CloudFront::Distribution") return CHARTS_DISTRIBUTION_ID;
    if (type === "AWS::SNS::Topic") return `arn:aws:sns:${REGION}:${ACCOUNT}:${id}`;
    // Named by the console's sign-in settings and CSP: Ref of a user pool domain is its prefix.
    if (type === "AWS::Cognito::UserPoolDomain")
      return String(this.resolve(this.resources[id]?.Properties?.Domain));
    if (type === "AWS::Cognito::UserPoolClient") return `${id}-client`;
    if (type === "AWS::SecretsManager::Secret")
      return `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${id}`;
    throw new Error(`no local stand-in for Ref ${id} (${type ?? "unknown"}): map it in local-resources.ts`);
  }

  private attr(id: string, name: string): string {
    const type = this.resources[id]?.Type;
    if (name === "Arn" && (id === this.rawBucketId || id === this.chartsBucketId))
      return `arn:aws:s3:::${this.ref(id)}`;
    if (name === "Arn" && id === this.tableId) return this.tableArn();
    if (name === "Arn" && type === "AWS::Lambda::Function") return this.functionArn(id);
    if (name === "Name" && type === "AWS::StepFunctions::StateMachine") return id;
    if (name === "DomainName" && type === "AWS::CloudFront::Distribution") return CHARTS_DOMAIN;
    // Only named in the publish role's policy (the release-alerts topic's key).
    if (name === "Arn" && type === "AWS::KMS::Key") return `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`;
    // Only named in role policies (the runtime's logs, Lambda's on-failure destination).
    if (name === "Arn" && type === "AWS::Logs::LogGroup")
      return `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${id}:*`;
    if (name === "Arn" && type === "AWS::SQS::Queue") return `arn:aws:sqs:${REGION}:${ACCOUNT}:${id}`;
    throw new Error(
      `no local stand-in for ${id}.${name} (${type ?? "unknown"}): map it in local-resources.ts`,
    );
  }

  private pseudo(name: string): string {
    const known: Record<string, string> = {
      "AWS::Region": REGION,
      "AWS::AccountId": ACCOUNT,
      "AWS::Partition": "aws",
      "AWS::URLSuffix": "amazonaws.com",
    };
    const v = known[name];
    if (v === undefined) throw new Error(`no local value for ${name}`);
    return v;
  }

  /** A template value with every intrinsic function resolved to its local stand-in. */
  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== "object") return value;
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1) {
      const [k] = keys as [string];
      const arg = o[k];
      if (k === "Ref") {
        const id = String(arg);
        return id.startsWith("AWS::") ? this.pseudo(id) : this.ref(id);
      }
      if (k === "Fn::GetAtt") {
        const [id, name] = arg as [string, string];
        return this.attr(id, name);
      }
      if (k === "Fn::Join") {
        const [sep, parts] = arg as [string, unknown[]];
        return parts.map((p) => String(this.resolve(p))).join(sep);
      }
      if (k.startsWith("Fn::")) throw new Error(`no local resolution for ${k}`);
    }
    return Object.fromEntries(keys.map((k) => [k, this.resolve(o[k])]));
  }

  /** A function's environment from the template, resolved, with the GACC site mapped to the mirror. */
  environment(variables: Record<string, unknown>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(variables)) {
      let s = String(this.resolve(v));
      // CloudFormation resolves a Secrets Manager reference at deploy time; locally, to the one value.
      if (/^\{\{resolve:secretsmanager:arn:aws:secretsmanager:[^}]+\}\}$/.test(s)) s = ORIGIN_VERIFY_VALUE;
      if (k === "GACC_BASE_URL" && s === this.names.gacc.templateBaseUrl) s = this.names.gacc.localBaseUrl;
      if (k === "ALLOWED_HOSTS" && s === this.names.gacc.templateHosts) s = this.names.gacc.localHosts;
      out[k] = s;
    }
    return out;
  }
}
