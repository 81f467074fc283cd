/**
 * multipart/form-data for the upload form (a file and a few text fields), parsed by busboy: a
 * streaming parser that finds boundaries split across chunks, decodes RFC 5987 / raw UTF-8 file
 * names and enforces per-part limits. File bytes are kept exactly (query-platform exports are
 * GB18030 and are archived byte for byte). The body is fed to busboy in slices and parsing stops at
 * the first part over its limit, so an oversized form is refused before the rest of it is read.
 */
import type busboy from "busboy";
import { ApiError, badRequest } from "./http.js";

export interface FormFile {
  /** The form field's name, e.g. "file". */
  name: string;
  /** The file name the browser sent (may be ""). */
  fileName: string;
  contentType: string;
  data: Buffer;
}

export interface Form {
  files: FormFile[];
  /** Text fields by name (the last one wins when a name repeats). */
  fields: Map<string, string>;
}

export interface FormLimits {
  /** Largest file accepted, in bytes (inclusive). */
  fileBytes: number;
  /** Largest text field accepted, in bytes (inclusive). */
  fieldBytes: number;
  files: number;
  fields: number;
}

/** How much of a buffered body busboy is given at a time: the abort check runs between slices. */
const SLICE_BYTES = 64 * 1024;

type Body = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

async function* slices(body: Body): AsyncIterable<Uint8Array> {
  if (body instanceof Uint8Array) {
    for (let at = 0; at < body.byteLength; at += SLICE_BYTES) {
      yield body.subarray(at, Math.min(at + SLICE_BYTES, body.byteLength));
    }
    return;
  }
  yield* body;
}

const size = (bytes: number) =>
  bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;

/** busboy's own messages → what an editor can do about them. */
function formError(err: Error): ApiError {
  if (err instanceof ApiError) return err;
  if (/Unexpected end of (form|file)/.test(err.message)) {
    return badRequest("The form ends in the middle of a part: the upload was cut off. Try again.");
  }
  if (/Malformed part header/.test(err.message)) {
    return badRequest(
      "A part of the form has malformed headers; send it as multipart/form-data from the console.",
    );
  }
  return badRequest("The upload could not be read. Choose the file again and upload it from the console.", {
    detail: `${err.message} (send it as multipart/form-data)`,
  });
}

export async function parseMultipart(body: Body, contentType: string, limits: FormLimits): Promise<Form> {
  // Loaded on the first upload, not when the API function starts: most requests never parse a form.
  const { default: createParser } = await import("busboy");
  let parser: busboy.Busboy;
  try {
    parser = createParser({
      headers: { "content-type": contentType },
      // busboy reports hitting a limit when a part reaches it, so allow one byte more: a part of
      // exactly the limit passes, one byte over is refused.
      limits: {
        fileSize: limits.fileBytes + 1,
        fieldSize: limits.fieldBytes + 1,
        files: limits.files,
        fields: limits.fields,
        parts: limits.files + limits.fields,
        headerPairs: 20,
      },
      // Browsers send file names as raw UTF-8 inside filename="…" (busboy's default is latin1).
      defParamCharset: "utf8",
    });
  } catch (err) {
    // No boundary, or not multipart at all.
    throw badRequest("The upload could not be read. Choose the file again and upload it from the console.", {
      detail: `${(err as Error).message} (send it as multipart/form-data with a boundary)`,
    });
  }

  const form: Form = { files: [], fields: new Map() };
  let failure: ApiError | undefined;
  const fail = (err: ApiError) => {
    failure ??= err;
  };

  parser.on("file", (name, stream, info) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    // A form that ends inside the file fails the file stream too; the parser reports the same error.
    stream.on("error", (err: Error) => fail(formError(err)));
    stream.on("limit", () =>
      fail(
        new ApiError(
          413,
          "TOO_LARGE",
          `The file ${JSON.stringify(info.filename)} is larger than ${size(limits.fileBytes)}, the upload limit. ` +
            "A query-platform export (at most 10,000 rows) is far smaller: is this the right file?",
        ),
      ),
    );
    stream.on("end", () => {
      if (stream.truncated) return;
      form.files.push({
        name,
        fileName: info.filename ?? "",
        contentType: info.mimeType,
        data: Buffer.concat(chunks),
      });
    });
  });
  parser.on("field", (name, value, info) => {
    if (info.valueTruncated) {
      fail(
        badRequest(`The form field "${name}" is longer than ${limits.fieldBytes} bytes; is the form right?`),
      );
    } else if (name === "file") {
      // A field named "file" without a file name arrived as text, which is not binary-safe.
      fail(badRequest('The file came as a text field; send it as a file (e.g. curl -F "file=@export.csv").'));
    } else {
      form.fields.set(name, value);
    }
  });
  parser.on("filesLimit", () =>
    fail(badRequest(`The form has more than ${limits.files} file(s); upload one CSV at a time.`)),
  );
  parser.on("fieldsLimit", () => fail(badRequest(`The form has more than ${limits.fields} text fields.`)));
  parser.on("partsLimit", () => fail(badRequest("The form has more parts than the upload form sends.")));

  const closed = new Promise<void>((resolve, reject) => {
    parser.on("close", resolve);
    parser.on("error", (err: Error) => reject(formError(err)));
  });
  closed.catch(() => {}); // observed below; never an unhandled rejection

  const write = (chunk: Uint8Array) =>
    new Promise<void>((resolve, reject) => parser.write(chunk, (err) => (err ? reject(err) : resolve())));
  try {
    for await (const chunk of slices(body)) {
      // Early abort: a part over its limit stops the parse; the rest of the body is not read.
      if (failure) break;
      await Promise.race([write(chunk), closed]);
    }
    if (failure) {
      parser.destroy();
      throw failure;
    }
    parser.end();
    await closed;
  } catch (err) {
    parser.destroy();
    throw failure ?? formError(err as Error);
  }
  if (failure) throw failure;
  return form;
}
