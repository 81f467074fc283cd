/**
 * One CloudFront distribution for everything readers and editors load:
 *
 *   /            the editors' console (console/: index.html, console.js, console.css, plus
 *                console-config.json written at deploy time) from a private console bucket;
 *   /charts/*    chart files for newsroom graphics, from the private charts bucket, CORS for any site
 *                (GET/HEAD), compressed, with two cache lifetimes that match what the publish stage
 *                writes (functions/pipeline/publish-charts.ts):
 *                  - latest files `charts/<id>.json|.csv|.dw-metadata.json`, `charts/index.json`: 60 s
 *                    by default (the objects also carry `Cache-Control: max-age=60`), at most 5 minutes;
 *                  - immutable versioned copies `charts/v/<version>/<file>`: one year;
 *   /api/*       the editors' API (HTTP API), never cached, every method, every viewer header but Host
 *                (so `Authorization` reaches the JWT authorizer), added by `addApi`.
 *
 * Both buckets are reached through origin access control only. The console calls `/api` and loads
 * `/charts` on its own origin, so it needs no CORS.
 */
import { Duration, Lazy, type RemovalPolicy, type SecretValue, Stack } from "aws-cdk-lib";
import * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import * as origins from "aws-cdk-lib/aws-cloudfront-origins";
import type { CfnFunction } from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import * as s3 from "aws-cdk-lib/aws-s3";
import * as s3deploy from "aws-cdk-lib/aws-s3-deployment";
import { Construct } from "constructs";
import { ORIGIN_VERIFY_HEADER } from "../../functions/api/origin-verify.js";
import type { ObjectGrant } from "../access.js";
import { acknowledge, nagArnOf } from "../nag.js";
import { grantObjectPut, grantObjectRead, grantObjectsByKey } from "./data-stores.js";
import type { PipelineFunction } from "./pipeline-function.js";

export const LATEST_TTL = Duration.seconds(60);
export const LATEST_MAX_TTL = Duration.minutes(5);
export const VERSIONED_TTL = Duration.days(365);
export const VERSIONED_PATH = "charts/v/*";
export const LATEST_PATH = "charts/*";
export const API_PATH = "api/*";
/** Written next to the console at deploy time: what the console needs to know about its stage. */
export const CONSOLE_CONFIG_FILE = "console-config.json";
/** Files in the console folder that are build inputs, not served (infra/console-bundle.ts). */
export const CONSOLE_SOURCE_ONLY = ["charts.js", "inputs.json", "!build/charts.js"];

export interface ChartDeliveryProps {
  logBucket: s3.IBucket;
  /** Of the charts and console buckets (both rebuilt from the table and the repository). */
  removalPolicy: RemovalPolicy;
}

export class ChartDelivery extends Construct {
  readonly bucket: s3.Bucket;
  /** The console's static files (deployed by `deployConsole`). */
  readonly consoleBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** https://<distribution>/ : the console, and chart URLs <publicUrl>charts/<id>.json */
  readonly publicUrl: string;
  consoleDeployment?: s3deploy.BucketDeployment;
  private readonly consoleHeaders: cloudfront.IResponseHeadersPolicy;
  /** Origins besides its own the console may call (the Cognito sign-in domain), see allowConsoleConnect. */
  private readonly connectOrigins: string[] = [];
  private readonly removalPolicy: RemovalPolicy;

  constructor(scope: Construct, id: string, props: ChartDeliveryProps) {
    super(scope, id);
    this.removalPolicy = props.removalPolicy;

    this.bucket = new s3.Bucket(this, "Bucket", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.logBucket,
      serverAccessLogsPrefix: "s3/charts/",
      lifecycleRules: [
        {
          id: "expire-replaced-latest-files",
          // Latest files are rewritten on every change; their old versions are also kept under charts/v/.
          noncurrentVersionExpiration: Duration.days(90),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy: props.removalPolicy,
    });

    this.consoleBucket = new s3.Bucket(this, "ConsoleBucket", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.logBucket,
      serverAccessLogsPrefix: "s3/console/",
      lifecycleRules: [
        {
          id: "expire-replaced-console-files",
          // Every deployment replaces the files; the previous versions are only kept for a rollback.
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy: props.removalPolicy,
    });

    const compression = { enableAcceptEncodingGzip: true, enableAcceptEncodingBrotli: true };
    const latest = new cloudfront.CachePolicy(this, "LatestCache", {
      comment: "Latest chart files: short lifetime so graphics see a new release within a minute",
      defaultTtl: LATEST_TTL,
      minTtl: Duration.seconds(0),
      maxTtl: LATEST_MAX_TTL,
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      ...compression,
    });
    const versioned = new cloudfront.CachePolicy(this, "VersionedCache", {
      comment: "Versioned chart copies under charts/v/: immutable, cached for a year",
      defaultTtl: VERSIONED_TTL,
      minTtl: VERSIONED_TTL,
      maxTtl: VERSIONED_TTL,
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      ...compression,
    });
    const securityHeaders: cloudfront.ResponseSecurityHeadersBehavior = {
      contentTypeOptions: { override: true },
      strictTransportSecurity: {
        accessControlMaxAge: Duration.days(365),
        includeSubdomains: true,
        override: true,
      },
    };
    this.consoleHeaders = new cloudfront.ResponseHeadersPolicy(this, "ConsoleHeaders", {
      comment: "Editors' console and API: same origin only (no CORS), not framed, no referrer off-site",
      securityHeadersBehavior: {
        ...securityHeaders,
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
        // Resolved at synth, once the sign-in domain is known (allowConsoleConnect).
        contentSecurityPolicy: {
          contentSecurityPolicy: Lazy.string({ produce: () => consoleCsp(this.connectOrigins) }),
          override: true,
        },
      },
    });
    const cors = new cloudfront.ResponseHeadersPolicy(this, "Cors", {
      comment: "Chart files may be loaded by graphics on any site",
      corsBehavior: {
        accessControlAllowOrigins: ["*"],
        accessControlAllowMethods: ["GET", "HEAD"],
        accessControlAllowHeaders: ["*"],
        accessControlAllowCredentials: false,
        accessControlMaxAge: Duration.days(1),
        originOverride: true,
      },
      securityHeadersBehavior: securityHeaders,
    });

    const origin = origins.S3BucketOrigin.withOriginAccessControl(this.bucket);
    const behavior = (cachePolicy: cloudfront.ICachePolicy): cloudfront.BehaviorOptions => ({
      origin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
      cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD_OPTIONS,
      compress: true,
      cachePolicy,
      responseHeadersPolicy: cors,
    });
    this.distribution = new cloudfront.Distribution(this, "Cdn", {
      comment: "GACC trade chart files and the editors' console",
      defaultRootObject: "index.html",
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.consoleBucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
        cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD_OPTIONS,
        compress: true,
        // The console's files carry max-age=60 (deployConsole): a new console is live within minutes.
        cachePolicy: latest,
        responseHeadersPolicy: this.consoleHeaders,
      },
      // Order matters: CloudFront takes the first matching pattern.
      additionalBehaviors: { [VERSIONED_PATH]: behavior(versioned), [LATEST_PATH]: behavior(latest) },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL,
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: "cloudfront/",
    });
    this.publicUrl = `https://${this.distribution.distributionDomainName}/`;

    acknowledge(
      this.distribution,
      "AwsSolutions-CFR1",
      "Chart files are public statistics meant for newsroom graphics read worldwide, and editors open the console wherever they report from; there is no country to block.",
    );
    acknowledge(
      this.distribution,
      "AwsSolutions-CFR2",
      "Static files from private buckets via origin access control, plus /api/* whose every route is behind API Gateway's Cognito JWT authorizer and stage throttling (10 req/s, burst 20): a per-request WAF charge would exceed the cost of serving; add a web ACL if the API is abused.",
    );
    acknowledge(
      this.distribution,
      "AwsSolutions-CFR4",
      "The distribution uses the default *.cloudfront.net certificate, for which CloudFront fixes the minimum TLS version; a custom domain with TLSv1.2_2021 comes with a certificate when the newsroom assigns one.",
    );
  }

  /** Lets the console call `origin` (e.g. the Cognito domain's token endpoint) under its CSP. */
  allowConsoleConnect(origin: string): void {
    this.connectOrigins.push(origin);
  }

  /**
   * Routes /api/* to the editors' HTTP API on its origin name (`originDomainName`; the API has no
   * execute-api address): never cached, every method, HTTPS only (a redirect would turn a POST into a
   * GET), and every viewer header except Host (API Gateway answers its own names only); with caching
   * disabled, that policy forwards `Authorization` too. `originVerify` goes out as the origin header
   * the API requires (functions/api/origin-verify.ts).
   */
  addApi(api: { originDomainName: string; originVerify: { secretValue: SecretValue } }): void {
    this.distribution.addBehavior(
      API_PATH,
      new origins.HttpOrigin(api.originDomainName, {
        protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
        customHeaders: { [ORIGIN_VERIFY_HEADER]: api.originVerify.secretValue.unsafeUnwrap() },
      }),
      {
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        responseHeadersPolicy: this.consoleHeaders,
        compress: true,
      },
    );
  }

  /**
   * Uploads the console folder to the console bucket (files removed from the folder are removed from
   * the bucket), with `config` written beside it as console-config.json (values may be deploy-time
   * tokens: the sign-in URL, say). Bundles nothing: the folder is zipped as is, so synth stays offline.
   */
  deployConsole(folder: string, config: Record<string, string>, logRetention: logs.RetentionDays): void {
    if (this.consoleDeployment) throw new Error(`${this.node.path}: the console is deployed already`);
    const deployment = new s3deploy.BucketDeployment(this, "ConsoleDeployment", {
      sources: [
        // charts.js is the previews' source; the browser loads its bundle, build/charts.js.
        s3deploy.Source.asset(folder, { exclude: CONSOLE_SOURCE_ONLY }),
        s3deploy.Source.jsonData(CONSOLE_CONFIG_FILE, config),
      ],
      destinationBucket: this.consoleBucket,
      prune: true,
      cacheControl: [s3deploy.CacheControl.maxAge(LATEST_TTL)],
      logGroup: new logs.LogGroup(this, "ConsoleDeploymentLogs", {
        retention: logRetention,
        removalPolicy: this.removalPolicy,
      }),
    });
    this.consoleDeployment = deployment;

    // CDK's deployment handler (a singleton custom resource at the stack's root): its role and function.
    const role = deployment.handlerRole;
    const handler = Stack.of(this)
      .node.children.find((c) => c.node.id.startsWith("Custom::CDKBucketDeployment"))
      ?.node.tryFindChild("Resource") as CfnFunction | undefined;
    acknowledge(
      role,
      "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
      "CDK's BucketDeployment handler role comes with the AWS managed basic execution policy (CloudWatch Logs only); the role is created inside aws-s3-deployment and runs only at deploy time.",
    );
    acknowledge(
      role,
      "AwsSolutions-IAM5[Action::s3:GetObject*]",
      "BucketDeployment reads the console's zipped folder from the CDK asset bucket with CDK's grantRead (s3:GetObject*), on that one asset bucket, at deploy time only.",
    );
    for (const action of ["s3:GetBucket*", "s3:List*", "s3:DeleteObject*", "s3:Abort*"]) {
      acknowledge(
        role,
        `AwsSolutions-IAM5[Action::${action}]`,
        "BucketDeployment syncs the console folder into the console bucket (aws s3 sync --delete) with CDK's grantReadWrite; these wildcards reach only the asset bucket and the console bucket, never the raw or charts buckets.",
      );
    }
    acknowledge(
      role,
      `AwsSolutions-IAM5[Resource::${nagArnOf(this.consoleBucket.node.defaultChild as s3.CfnBucket)}/*]`,
      "The deployment replaces every console file (index.html, console.js, console.css, console-config.json) and prunes removed ones: object actions on the console bucket's objects only.",
    );
    acknowledge(
      role,
      "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]",
      "The console's zip is a CDK file asset in the bootstrap asset bucket under a content-hash key: read access to that bucket's objects, as CDK grants it for every asset.",
    );
    if (handler) {
      acknowledge(
        handler,
        "AwsSolutions-L1",
        "CDK's BucketDeployment handler pins its own Python runtime (with the AWS CLI layer it ships); it runs only during deployments and is upgraded with aws-cdk-lib.",
      );
    }
  }

  /** Read chart files (GetObject, ListBucket: a missing file answers 404); sets CHARTS_BUCKET and CHARTS_PUBLIC_URL. */
  grantChartsRead(fn: PipelineFunction): void {
    grantObjectRead(fn, this.bucket);
    fn.setEnvironment({ CHARTS_BUCKET: this.bucket.bucketName, CHARTS_PUBLIC_URL: this.publicUrl });
    this.acknowledgeObjectWildcard(fn);
  }

  /** Sets CHARTS_BUCKET and CHARTS_PUBLIC_URL without granting any access (wiring that names them only). */
  nameChartsBucket(fn: PipelineFunction): void {
    fn.setEnvironment({ CHARTS_BUCKET: this.bucket.bucketName, CHARTS_PUBLIC_URL: this.publicUrl });
  }

  /** Read and write chart files (GetObject, ListBucket, PutObject; no delete); sets CHARTS_BUCKET and CHARTS_PUBLIC_URL. */
  grantChartsReadPut(fn: PipelineFunction): void {
    this.grantChartsRead(fn);
    grantObjectPut(fn, this.bucket);
  }

  /**
   * Object grants on the charts bucket as infra/access.ts lists them (each on its key pattern); sets
   * CHARTS_BUCKET and CHARTS_PUBLIC_URL.
   */
  grantChartObjects(fn: PipelineFunction, grants: readonly ObjectGrant[]): void {
    grantObjectsByKey(fn, this.bucket, grants);
    fn.setEnvironment({ CHARTS_BUCKET: this.bucket.bucketName, CHARTS_PUBLIC_URL: this.publicUrl });
    for (const keys of new Set(grants.map((g) => g.keys ?? "*"))) {
      if (!keys.includes("*")) continue;
      this.acknowledgeObjectWildcard(fn, keys);
    }
  }

  private acknowledgeObjectWildcard(fn: PipelineFunction, keys = "*"): void {
    acknowledge(
      fn.role,
      `AwsSolutions-IAM5[Resource::${nagArnOf(this.bucket.node.defaultChild as s3.CfnBucket)}/${keys}]`,
      "Chart keys are derived from chart ids and content versions (charts/<id>.json, charts/v/<version>/...), so object actions are granted on the charts bucket's objects: get and list, plus put for the functions that publish; never delete.",
    );
  }
}

/**
 * The console's Content-Security-Policy: its own files only, no inline script and no eval (chart
 * previews use Vega's CSP-safe expression interpreter), `connect-src` limited to its own origin
 * (/api, /charts) and the given origins (Cognito), never framed, forms and `<base>` pinned.
 * `style-src` allows inline style attributes: Vega's SVG renderer writes them.
 */
export function consoleCsp(connectOrigins: string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${["'self'", ...connectOrigins].join(" ")}`,
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "upgrade-insecure-requests",
  ].join("; ");
}
