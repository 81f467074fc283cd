/**
 * The upload form's multipart parsing (busboy) on the edge cases a hand-written parser gets wrong:
 * boundaries split across chunks, parts over their limit (refused early, before the rest is read),
 * header encodings of file names, and bytes that look like delimiters inside a binary file.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ApiError } from "../../functions/api/http.js";
import { type FormLimits, parseMultipart } from "../../functions/api/multipart.js";

const TYPE = "multipart/form-data; boundary=----formBoundary7MA4YWxk";
const DELIM = "------formBoundary7MA4YWxk";
const limits: FormLimits = { fileBytes: 4096, fieldBytes: 64, files: 1, fields: 4 };

/** A form as a browser sends it: a flow field and one file, with the given disposition for the file. */
function form(file: Uint8Array, disposition = 'form-data; name="file"; filename="q.csv"'): Buffer {
  return Buffer.concat([
    Buffer.from(`${DELIM}\r\nContent-Disposition: form-data; name="flow"\r\n\r\nimports\r\n`),
    Buffer.from(`${DELIM}\r\nContent-Disposition: ${disposition}\r\nContent-Type: text/csv\r\n\r\n`),
    file,
    Buffer.from(`\r\n${DELIM}--\r\n`),
  ]);
}

/** `bytes` cut at the given offsets, as a network would deliver it. */
function* chunksAt(bytes: Uint8Array, cuts: number[]): Iterable<Uint8Array> {
  let from = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    if (cut <= from || cut >= bytes.byteLength) continue;
    yield bytes.subarray(from, cut);
    from = cut;
  }
  yield bytes.subarray(from);
}

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

/** Every byte value, plus sequences that look like the start of a delimiter. */
const binary = Buffer.concat([
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  Buffer.from(`\r\n${DELIM.slice(0, -1)}\r\n--\r\n\r\n`),
  Buffer.from([0xca, 0xfd, 0xbe, 0xdd]),
]);

describe("multipart upload form (busboy)", () => {
  it("finds a boundary split across chunks, wherever the chunks are cut", async () => {
    const body = form(binary);
    // Cut inside the closing delimiter of the file part, one byte at a time around it.
    const closing = body.indexOf(`\r\n${DELIM}--`);
    for (let cut = closing - 1; cut <= closing + DELIM.length + 2; cut++) {
      const parsed = await parseMultipart(chunksAt(body, [cut]), TYPE, limits);
      expect(Buffer.compare(parsed.files[0]?.data ?? Buffer.alloc(0), binary)).toBe(0);
      expect(parsed.fields.get("flow")).toBe("imports");
    }
    // One byte per chunk.
    const bytewise = await parseMultipart(chunksAt(body, [...body.keys()]), TYPE, limits);
    expect(Buffer.compare(bytewise.files[0]?.data ?? Buffer.alloc(0), binary)).toBe(0);
    // Anywhere (property): any random cuts give the same file and field.
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 600 }),
        fc.array(fc.nat({ max: 1200 }), { maxLength: 12 }),
        async (file, cuts) => {
          const parsed = await parseMultipart(chunksAt(form(file), cuts), TYPE, limits);
          expect(Buffer.compare(parsed.files[0]?.data ?? Buffer.alloc(0), Buffer.from(file))).toBe(0);
          expect(parsed.fields.get("flow")).toBe("imports");
        },
      ),
      { numRuns: 200 },
    );
  });

  it("takes a file of exactly the limit and refuses one byte more with 413, naming the limit", async () => {
    const exact = Buffer.alloc(limits.fileBytes, 0x41);
    const ok = await parseMultipart(form(exact), TYPE, limits);
    expect(ok.files[0]?.data.byteLength).toBe(limits.fileBytes);

    const err = await refusal(parseMultipart(form(Buffer.alloc(limits.fileBytes + 1, 0x41)), TYPE, limits));
    expect(err.status).toBe(413);
    expect(err.code).toBe("TOO_LARGE");
    expect(err.message).toBe(
      'The file "q.csv" is larger than 4.1 kB, the upload limit. A query-platform export (at most 10,000 rows) is far smaller: is this the right file?',
    );
  });

  it("aborts early: past the cap it stops reading the body", async () => {
    const big = { ...limits, fileBytes: 100_000 };
    const head = Buffer.from(
      `${DELIM}\r\nContent-Disposition: form-data; name="file"; filename="huge.csv"\r\n\r\n`,
    );
    let pulled = 0;
    const total = 1000; // 64 MB of body if it were all read
    async function* endless(): AsyncIterable<Uint8Array> {
      yield head;
      for (let i = 0; i < total; i++) {
        pulled++;
        yield Buffer.alloc(64 * 1024, 0x30);
      }
    }
    const err = await refusal(parseMultipart(endless(), TYPE, big));
    expect(err.status).toBe(413);
    // 100 kB fits in two 64 KiB chunks; the parse stops on the chunk that crosses the cap.
    expect(pulled).toBeLessThanOrEqual(3);
  });

  it("refuses an over-long text field, a second file, and a file sent as a text field", async () => {
    const longFlow = Buffer.from(
      `${DELIM}\r\nContent-Disposition: form-data; name="flow"\r\n\r\n${"x".repeat(65)}\r\n${DELIM}--\r\n`,
    );
    const tooLong = await refusal(parseMultipart(longFlow, TYPE, limits));
    expect(tooLong.status).toBe(400);
    expect(tooLong.message).toBe('The form field "flow" is longer than 64 bytes; is the form right?');

    const filePart = (n: number) =>
      `${DELIM}\r\nContent-Disposition: form-data; name="file"; filename="${n}.csv"\r\n\r\na,b\r\n`;
    const two = Buffer.from(`${filePart(1)}${filePart(2)}${DELIM}--\r\n`);
    expect((await refusal(parseMultipart(two, TYPE, limits))).message).toBe(
      "The form has more than 1 file(s); upload one CSV at a time.",
    );

    const asText = Buffer.from(
      `${DELIM}\r\nContent-Disposition: form-data; name="file"\r\n\r\na,b\r\n${DELIM}--\r\n`,
    );
    expect((await refusal(parseMultipart(asText, TYPE, limits))).message).toMatch(
      /^The file came as a text field/,
    );
  });

  it("decodes file names: raw UTF-8, RFC 5987 filename*, quoted specials", async () => {
    const names = async (disposition: string) =>
      (await parseMultipart(form(Buffer.from("a,b"), disposition), TYPE, limits)).files[0]?.fileName;
    // Browsers send UTF-8 bytes inside the quotes.
    expect(await names('form-data; name="file"; filename="海关数据 2023.csv"')).toBe("海关数据 2023.csv");
    // RFC 5987 extended parameter wins over the plain one.
    expect(
      await names(
        'form-data; name="file"; filename="fallback.csv"; filename*=UTF-8\'\'%E6%B5%B7%E5%85%B3%20%E2%80%94%20q.csv',
      ),
    ).toBe("海关 — q.csv");
    // Separators and escaped quotes inside a quoted name.
    expect(await names('form-data; name="file"; filename="a; b=\\"c\\".csv"')).toBe('a; b="c".csv');
    // Header names in any case, parameters unquoted.
    const lower = Buffer.from(
      `${DELIM}\r\ncontent-disposition: form-data; name=file; filename=plain.csv\r\ncontent-type: text/csv\r\n\r\nx\r\n${DELIM}--\r\n`,
    );
    expect((await parseMultipart(lower, TYPE, limits)).files[0]).toMatchObject({
      name: "file",
      fileName: "plain.csv",
      contentType: "text/csv",
    });
  });

  it("reads a boundary given in quotes, and refuses a form without one or cut off", async () => {
    const quoted = await parseMultipart(
      form(binary),
      'multipart/form-data; boundary="----formBoundary7MA4YWxk"',
      limits,
    );
    expect(Buffer.compare(quoted.files[0]?.data ?? Buffer.alloc(0), binary)).toBe(0);

    const noBoundary = await refusal(parseMultipart(form(binary), "multipart/form-data", limits));
    expect(noBoundary.status).toBe(400);
    expect(noBoundary.message).toBe(
      "The upload could not be read. Choose the file again and upload it from the console.",
    );
    // busboy's own words are engineer detail, under error.detail.
    expect(noBoundary.extra.detail).toMatch(
      /boundary.*\(send it as multipart\/form-data with a boundary\)$/i,
    );

    const body = form(binary);
    const cut = await refusal(parseMultipart(body.subarray(0, body.byteLength - 20), TYPE, limits));
    expect(cut.message).toBe("The form ends in the middle of a part: the upload was cut off. Try again.");
  });
});
