/**
 * Where things live in the raw bucket: a fact the stack (infra/access.ts grants by these prefixes) and
 * the functions share. Imports nothing, so infra can use it without loading function code.
 */

/** Every archived page and upload lives under this prefix, at its content address (pipeline/archive.ts). */
export const ARCHIVE_PREFIX = "raw/";

/**
 * Where the editors' API puts an upload's bytes before the workflow reads them, at the bytes' own
 * sha256 (content-addressed, so a retried upload lands on the same key). The API's role may write here
 * and nowhere else in the bucket; the workflow archives the bytes under ARCHIVE_PREFIX like any fetched
 * page, so every number keeps the same trail.
 */
export const UPLOADS_PREFIX = "uploads/";

/**
 * Uploads larger than this are refused (the platform's 10,000-row files are well under it; a 45,000-row
 * export is 3.9 MB). The editors' API checks the size it is told, S3 enforces it on the signed upload
 * (the Content-Length is part of the signature), and the workflow checks the bytes it reads. Here, in a
 * module that imports nothing, so the API's router knows the cap without loading the export reader.
 */
export const MAX_UPLOAD_BYTES = 4 * 1024 * 1024;
