/**
 * The raw archive (S3), the access-log bucket and the single DynamoDB table, with the grant helpers
 * that give a function access AND set the environment variable that names the resource, in one call.
 *
 * S3 grants use explicit actions rather than CDK's grantRead/grantReadWrite: `grantReadWrite` includes
 * `s3:DeleteObject*` and `grantPut` adds legal-hold/retention/tagging actions. Here:
 *   - read:  s3:GetObject (also what HeadObject needs) and s3:ListBucket (so a missing key answers 404,
 *            not 403: the adapters tell "not archived yet" from "access denied" by that status);
 *   - write: s3:PutObject only. Nothing in the stack may delete or overwrite-by-version raw objects.
 */
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { UPLOADS_PREFIX } from "../../functions/domain/raw-keys.js";
import type { ObjectGrant, TableGrant } from "../access.js";
import { acknowledge, nagArnOf } from "../nag.js";
import type { PipelineFunction } from "./pipeline-function.js";

/** The one global secondary index (cross-sections); only observations carry its keys. */
export const GSI1 = "gsi1";

/** Raw objects move to Intelligent-Tiering after this many days: pages are read on (re)normalize only. */
export const RAW_TIERING_AFTER_DAYS = 30;
/**
 * Staged uploads (UPLOADS_PREFIX) expire after this many days: the workflow archives the bytes under
 * raw/ at once, so the staged copy is only needed while its run may still be retried.
 */
export const STAGED_UPLOADS_EXPIRE_DAYS = 7;
/** How long a browser may cache the answer to its CORS preflight for an upload. */
export const UPLOAD_CORS_MAX_AGE_SECONDS = 600;

/** Read/list grant on a bucket's objects, with explicit actions. */
export function grantObjectRead(fn: PipelineFunction, bucket: s3.IBucket): void {
  fn.role.addToPolicy(
    new iam.PolicyStatement({ actions: ["s3:GetObject"], resources: [bucket.arnForObjects("*")] }),
  );
  fn.role.addToPolicy(new iam.PolicyStatement({ actions: ["s3:ListBucket"], resources: [bucket.bucketArn] }));
}

/** Put grant on a bucket's objects (no delete, no ACL, no tagging). */
export function grantObjectPut(fn: PipelineFunction, bucket: s3.IBucket): void {
  fn.role.addToPolicy(
    new iam.PolicyStatement({ actions: ["s3:PutObject"], resources: [bucket.arnForObjects("*")] }),
  );
}

/**
 * Object grants as infra/access.ts lists them, each on its key pattern (every key when absent), with
 * ListBucket beside GetObject (404, not 403, for a missing key).
 */
export function grantObjectsByKey(
  fn: PipelineFunction,
  bucket: s3.IBucket,
  grants: readonly ObjectGrant[],
): void {
  for (const g of grants) {
    fn.role.addToPolicy(
      new iam.PolicyStatement({ actions: [...g.actions], resources: [bucket.arnForObjects(g.keys ?? "*")] }),
    );
  }
  if (grants.some((g) => g.actions.includes("s3:GetObject"))) {
    fn.role.addToPolicy(
      new iam.PolicyStatement({ actions: ["s3:ListBucket"], resources: [bucket.bucketArn] }),
    );
  }
}

export class DataStores extends Construct {
  /** Server access logs of the buckets (and CloudFront standard logs). */
  readonly logBucket: s3.Bucket;
  /** Byte-for-byte archive of fetched pages and uploads: never deleted, never overwritten. */
  readonly rawBucket: s3.Bucket;
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.logBucket = new s3.Bucket(this, "AccessLogs", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      // CloudFront standard logging writes with ACLs; S3 server access logging uses the bucket policy.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [
        {
          id: "expire-access-logs",
          expiration: Duration.days(365),
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.rawBucket = new s3.Bucket(this, "Raw", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: "s3/raw/",
      lifecycleRules: [
        {
          id: "raw-to-intelligent-tiering",
          transitions: [
            {
              storageClass: s3.StorageClass.INTELLIGENT_TIERING,
              transitionAfter: Duration.days(RAW_TIERING_AFTER_DAYS),
            },
          ],
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
        {
          id: "staged-uploads-expire",
          prefix: UPLOADS_PREFIX,
          expiration: Duration.days(STAGED_UPLOADS_EXPIRE_DAYS),
          noncurrentVersionExpiration: Duration.days(1),
        },
      ],
      // The archive is the evidence behind every published number: it outlives the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new dynamodb.Table(this, "Table", {
      partitionKey: { name: "pk", type: dynamodb.AttributeType.STRING },
      sortKey: { name: "sk", type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: "gsi1",
      partitionKey: { name: "gsi1pk", type: dynamodb.AttributeType.STRING },
      sortKey: { name: "gsi1sk", type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }

  /**
   * Exactly the listed actions, each on the listed partitions only (`dynamodb:LeadingKeys`), plus Query on
   * gsi1 when `crossSections` says why; sets TABLE_NAME. The grants come from infra/access.ts.
   */
  grantTable(fn: PipelineFunction, grants: readonly TableGrant[], crossSections?: string): void {
    for (const g of grants) {
      fn.role.addToPolicy(
        new iam.PolicyStatement({
          actions: [...g.actions],
          resources: [this.table.tableArn],
          conditions: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [...g.partitions] } },
        }),
      );
    }
    if (crossSections) {
      fn.role.addToPolicy(
        new iam.PolicyStatement({
          actions: ["dynamodb:Query"],
          resources: [`${this.table.tableArn}/index/${GSI1}`],
        }),
      );
    }
    fn.setEnvironment({ TABLE_NAME: this.table.tableName });
  }

  /**
   * Object grants on the raw bucket as infra/access.ts lists them (each on its key pattern), with
   * ListBucket beside GetObject (404, not 403, for a missing key); sets RAW_BUCKET.
   */
  grantRawObjects(fn: PipelineFunction, grants: readonly ObjectGrant[]): void {
    grantObjectsByKey(fn, this.rawBucket, grants);
    fn.setEnvironment({ RAW_BUCKET: this.rawBucket.bucketName });
    for (const keys of new Set(grants.map((g) => g.keys ?? "*"))) {
      acknowledge(
        fn.role,
        `AwsSolutions-IAM5[Resource::${nagArnOf(this.rawBucket.node.defaultChild as s3.CfnBucket)}/${keys}]`,
        "Raw objects are content-addressed (raw/sha256/<hash>.<ext>, uploads/<hash>.csv): keys are not known in advance, so object actions are granted on a key prefix of the archive bucket, with get/list/put only and never delete.",
      );
    }
  }

  /**
   * Lets the console's origin PUT a staged upload straight into the raw bucket with the presigned URL
   * the editors' API hands out (the AWS way past API Gateway's and Lambda's payload limits). CORS only
   * lets the browser send it: what may be written, and where, is the presigned URL's signature.
   */
  allowUploadsFrom(origin: string): void {
    this.rawBucket.addCorsRule({
      allowedMethods: [s3.HttpMethods.PUT],
      allowedOrigins: [origin],
      allowedHeaders: ["content-type"],
      maxAge: UPLOAD_CORS_MAX_AGE_SECONDS,
    });
  }

  /** Sets RAW_BUCKET without granting anything (for wiring that names the bucket but never uses it). */
  nameRawBucket(fn: PipelineFunction): void {
    fn.setEnvironment({ RAW_BUCKET: this.rawBucket.bucketName });
  }

  /** Read archived objects (GetObject, ListBucket); sets RAW_BUCKET. */
  grantRawRead(fn: PipelineFunction): void {
    grantObjectRead(fn, this.rawBucket);
    fn.setEnvironment({ RAW_BUCKET: this.rawBucket.bucketName });
    this.acknowledgeObjectWildcard(fn);
  }

  /** Read and archive new objects (GetObject, ListBucket, PutObject; never delete); sets RAW_BUCKET. */
  grantRawReadPut(fn: PipelineFunction): void {
    this.grantRawRead(fn);
    grantObjectPut(fn, this.rawBucket);
  }

  private acknowledgeObjectWildcard(fn: PipelineFunction): void {
    acknowledge(
      fn.role,
      `AwsSolutions-IAM5[Resource::${nagArnOf(this.rawBucket.node.defaultChild as s3.CfnBucket)}/*]`,
      "Raw objects are content-addressed (raw/sha256/<hash>.<ext>): keys are not known in advance, so object actions are granted on the archive bucket's objects, with get/list/put only and never delete.",
    );
  }
}
