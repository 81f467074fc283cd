/**
 * S3 implementations of the RawStore (the byte-for-byte archive of fetched pages and uploads) and
 * the ChartStore (the files newsroom graphics load).
 *
 * Raw objects are content-addressed by the caller (the key includes the sha256) and carry their
 * provenance as object metadata: `source-url`, `fetched-at`, `sha256`. They are never overwritten with
 * other bytes: putting the same bytes again is a no-op (one HeadObject, no PutObject); putting other
 * bytes under an existing key is refused with a StoreIntegrityError.
 */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { StoreIntegrityError } from "../domain/errors.js";
import type { ChartObject, ChartStore, RawObjectMeta, RawStore } from "../domain/ports.js";
import { sha256Hex } from "../domain/sha256.js";
import { errorNameOf, httpStatusOf, storeFailure } from "./aws-clients.js";

const META_SOURCE_URL = "source-url";
const META_FETCHED_AT = "fetched-at";
const META_SHA256 = "sha256";

function isNotFound(err: unknown): boolean {
  const name = errorNameOf(err);
  return name === "NotFound" || name === "NoSuchKey" || httpStatusOf(err) === 404;
}

/** S3 metadata travels in HTTP headers: keep it ASCII (percent-encode anything else). */
function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x7e]/gu, (c) =>
    Array.from(Buffer.from(c, "utf8"), (b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join(""),
  );
}

export class S3RawStore implements RawStore {
  private readonly label: string;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {
    this.label = `the raw archive bucket ${bucket}`;
  }

  async put(key: string, body: Uint8Array, meta: RawObjectMeta): Promise<void> {
    const actual = sha256Hex(body);
    if (actual !== meta.sha256.toLowerCase()) {
      throw new StoreIntegrityError(
        `Refused to archive ${key}: its bytes hash to ${actual}, not to the sha256 ${meta.sha256} given for them. ` +
          "This is a bug in the caller; nothing was written.",
        this.label,
        key,
      );
    }
    const existing = await this.head(key);
    if (existing !== undefined) {
      if (existing === actual) return; // same bytes already archived: nothing to do
      throw new StoreIntegrityError(
        `Refused to overwrite archived object ${key} (sha256 ${existing || "unknown"}) with other bytes ` +
          `(sha256 ${actual}). Archived pages are never replaced; the key should include the content hash.`,
        this.label,
        key,
      );
    }
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: meta.contentType,
          Metadata: {
            [META_SOURCE_URL]: headerSafe(meta.sourceUrl),
            [META_FETCHED_AT]: headerSafe(meta.fetchedAt),
            [META_SHA256]: actual,
          },
        }),
      );
    } catch (err) {
      throw storeFailure(err, this.label, `archive ${key}`);
    }
  }

  async get(key: string): Promise<{ body: Uint8Array; meta: RawObjectMeta }> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const body = res.Body ? await res.Body.transformToByteArray() : new Uint8Array();
      const m = res.Metadata ?? {};
      return {
        body,
        meta: {
          sourceUrl: m[META_SOURCE_URL] ?? "",
          fetchedAt: m[META_FETCHED_AT] ?? "",
          sha256: m[META_SHA256] ?? sha256Hex(body),
          contentType: res.ContentType ?? "application/octet-stream",
        },
      };
    } catch (err) {
      if (isNotFound(err)) {
        throw new StoreIntegrityError(
          `Archived object ${key} is missing from ${this.label}. Archived pages are never deleted: ` +
            "check the key, or fetch the page again.",
          this.label,
          key,
        );
      }
      throw storeFailure(err, this.label, `read ${key}`);
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== undefined;
  }

  /** The stored sha256 metadata ("" when the object has none), or undefined when there is no object. */
  private async head(key: string): Promise<string | undefined> {
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return res.Metadata?.[META_SHA256] ?? "";
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw storeFailure(err, this.label, `look up ${key}`);
    }
  }
}

export class S3ChartStore implements ChartStore {
  private readonly label: string;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {
    this.label = `the charts bucket ${bucket}`;
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return res.Body ? await res.Body.transformToByteArray() : new Uint8Array();
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw storeFailure(err, this.label, `read ${key}`);
    }
  }

  async put(object: ChartObject): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: object.key,
          Body: object.body,
          ContentType: object.contentType,
          CacheControl: object.cacheControl,
        }),
      );
    } catch (err) {
      throw storeFailure(err, this.label, `publish ${object.key}`);
    }
  }
}
