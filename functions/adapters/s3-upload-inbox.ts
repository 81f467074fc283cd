/**
 * Where the editors' API stages uploads: the raw bucket's uploads/ prefix (UPLOADS_PREFIX), at the
 * bytes' sha256. The API's role may write there and nowhere else in the bucket.
 *
 * A slot is a presigned S3 PUT, the AWS way past API Gateway's and Lambda's payload limits: the
 * browser sends the file straight to S3. The signature covers the Content-Length and Content-Type,
 * and the URL carries the sha256 (x-amz-checksum-sha256), so S3 itself refuses other sizes and other
 * bytes. s3rver (local) checks neither, so the workflow checks both again on the bytes it reads
 * (storeStagedUpload).
 */
import { createHash } from "node:crypto";
import { HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { UploadInbox, UploadSlot } from "../domain/ports.js";
import { errorNameOf, httpStatusOf, storeFailure } from "./aws-clients.js";

/** How long a slot may be used: long enough for a slow connection to send 4 MB. */
export const UPLOAD_SLOT_SECONDS = 15 * 60;
export const UPLOAD_CONTENT_TYPE = "text/csv";

const base64Of = (sha256Hex: string) => Buffer.from(sha256Hex, "hex").toString("base64");

export class S3UploadInbox implements UploadInbox {
  private readonly label: string;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.label = `the uploads area of the raw bucket ${bucket}`;
  }

  async slot(key: string, size: number, sha256: string): Promise<UploadSlot> {
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ContentType: UPLOAD_CONTENT_TYPE,
      ContentLength: size,
      ChecksumSHA256: base64Of(sha256),
    });
    const url = await getSignedUrl(this.client, command, {
      expiresIn: UPLOAD_SLOT_SECONDS,
      signableHeaders: new Set(["content-type", "content-length"]),
    });
    return {
      method: "PUT",
      url,
      headers: { "content-type": UPLOAD_CONTENT_TYPE },
      expiresAt: new Date(this.now().getTime() + UPLOAD_SLOT_SECONDS * 1000).toISOString(),
    };
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: bytes,
          ContentType: UPLOAD_CONTENT_TYPE,
          ChecksumSHA256: base64Of(sha256),
        }),
      );
    } catch (err) {
      throw storeFailure(err, this.label, `store ${key}`);
    }
  }

  async size(key: string): Promise<number | undefined> {
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return res.ContentLength ?? 0;
    } catch (err) {
      if (httpStatusOf(err) === 404 || errorNameOf(err) === "NotFound") return undefined;
      throw storeFailure(err, this.label, `look up ${key}`);
    }
  }
}
