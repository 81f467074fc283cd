/**
 * Just enough multipart/form-data for the upload form (a file and a few text fields), binary-safe:
 * query-platform exports are GB18030 and must be archived byte for byte.
 */
import { badRequest } from "./http.js";

export interface FormPart {
  name: string;
  fileName?: string | undefined;
  contentType?: string | undefined;
  data: Buffer;
}

export function boundaryOf(contentType: string): string | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m?.[1] ?? m?.[2];
}

function headerParam(header: string, name: string): string | undefined {
  const m = new RegExp(`${name}\\*?=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]+))`, "i").exec(header);
  const raw = m?.[1] ?? m?.[2];
  if (raw === undefined) return undefined;
  if (/^utf-8''/i.test(raw)) {
    try {
      return decodeURIComponent(raw.slice(7));
    } catch {
      return raw;
    }
  }
  return raw.replace(/\\(.)/g, "$1");
}

export function parseMultipart(body: Uint8Array, contentType: string): FormPart[] {
  const boundary = boundaryOf(contentType);
  if (!boundary)
    throw badRequest("The form was sent without a multipart boundary; send it as multipart/form-data.");
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: FormPart[] = [];
  let pos = buf.indexOf(delimiter);
  if (pos < 0)
    throw badRequest("The form body does not contain its boundary; send it as multipart/form-data.");
  for (;;) {
    pos += delimiter.length;
    // "--" after a delimiter ends the body.
    if (buf[pos] === 0x2d && buf[pos + 1] === 0x2d) break;
    if (buf[pos] === 0x0d && buf[pos + 1] === 0x0a) pos += 2;
    const headerEnd = buf.indexOf("\r\n\r\n", pos);
    if (headerEnd < 0) throw badRequest("A part of the form has no headers.");
    const headers = buf.subarray(pos, headerEnd).toString("utf8");
    const next = buf.indexOf(Buffer.concat([Buffer.from("\r\n"), delimiter]), headerEnd + 4);
    if (next < 0)
      throw badRequest("The form ends in the middle of a part: the upload was cut off. Try again.");
    const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? "";
    const name = headerParam(disposition, "name");
    if (name !== undefined) {
      parts.push({
        name,
        fileName: headerParam(disposition, "filename"),
        contentType: /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]?.trim(),
        data: buf.subarray(headerEnd + 4, next),
      });
    }
    pos = next + 2;
  }
  return parts;
}
