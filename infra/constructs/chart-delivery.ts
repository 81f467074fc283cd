/**
 * Chart files for newsroom graphics: a private bucket behind CloudFront (origin access control), CORS
 * for any site (GET/HEAD), compression, and two cache lifetimes that match what the publish stage
 * writes (functions/pipeline/publish-charts.ts):
 *   - latest files `charts/<id>.json|.csv|.dw-metadata.json`, `charts/index.json`: 60 s by default
 *     (the objects also carry `Cache-Control: max-age=60`), at most 5 minutes;
 *   - immutable versioned copies `charts/v/<version>/<file>`: one year.
 */
import { Duration, type RemovalPolicy } from "aws-cdk-lib";
import * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import * as origins from "aws-cdk-lib/aws-cloudfront-origins";
import * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { acknowledge, nagArnOf } from "../nag.js";
import { grantObjectPut, grantObjectRead } from "./data-stores.js";
import type { PipelineFunction } from "./pipeline-function.js";

export const LATEST_TTL = Duration.seconds(60);
export const LATEST_MAX_TTL = Duration.minutes(5);
export const VERSIONED_TTL = Duration.days(365);
export const VERSIONED_PATH = "charts/v/*";
export const LATEST_PATH = "charts/*";

export interface ChartDeliveryProps {
  logBucket: s3.IBucket;
  removalPolicy: RemovalPolicy;
}

export class ChartDelivery extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** https://<distribution>/ : chart URLs are <publicUrl>charts/<id>.json */
  readonly publicUrl: string;

  constructor(scope: Construct, id: string, props: ChartDeliveryProps) {
    super(scope, id);

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
      securityHeadersBehavior: {
        contentTypeOptions: { override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
      },
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
      comment: "GACC trade chart files",
      defaultBehavior: behavior(latest),
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
      "Chart files are public statistics meant for newsroom graphics read worldwide; there is no country to block.",
    );
    acknowledge(
      this.distribution,
      "AwsSolutions-CFR2",
      "Read-only static JSON/CSV from a private bucket via origin access control: no application to protect with WAF, and a per-request WAF charge would exceed the cost of serving.",
    );
    acknowledge(
      this.distribution,
      "AwsSolutions-CFR4",
      "The distribution uses the default *.cloudfront.net certificate, for which CloudFront fixes the minimum TLS version; a custom domain with TLSv1.2_2021 comes with a certificate when the newsroom assigns one.",
    );
  }

  /** Read and write chart files (GetObject, ListBucket, PutObject; no delete); sets CHARTS_BUCKET and CHARTS_PUBLIC_URL. */
  grantChartsReadPut(fn: PipelineFunction): void {
    grantObjectRead(fn, this.bucket);
    grantObjectPut(fn, this.bucket);
    fn.setEnvironment({ CHARTS_BUCKET: this.bucket.bucketName, CHARTS_PUBLIC_URL: this.publicUrl });
    acknowledge(
      fn.role,
      `AwsSolutions-IAM5[Resource::${nagArnOf(this.bucket.node.defaultChild as s3.CfnBucket)}/*]`,
      "Chart keys are derived from chart ids and content versions (charts/<id>.json, charts/v/<version>/...), so object actions are granted on the charts bucket's objects: get/list/put only, never delete.",
    );
  }
}
