/**
 * A local stand-in for SNS's Publish, at the HTTP boundary: the real SDK client (real request
 * signing and query-protocol serialization) posts to it, and it records what was published and
 * answers as SNS does. No SNS emulator runs on Node; this is the narrowest stand-in that still
 * exercises the SDK. It can also fail the next N requests with a 500, as SNS does when it is down.
 */
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";

export interface PublishedMessage {
  topicArn: string;
  subject: string | undefined;
  message: string;
}

export interface SnsStandIn {
  endpoint: string;
  published: PublishedMessage[];
  /** Answer the next `n` requests with HTTP 500 (InternalError). */
  failNext(n: number): void;
  stop(): Promise<void>;
}

export async function startSnsStandIn(): Promise<SnsStandIn> {
  const published: PublishedMessage[] = [];
  let failures = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      res.setHeader("content-type", "text/xml");
      if (failures > 0) {
        failures--;
        res.statusCode = 500;
        res.end(
          `<ErrorResponse><Error><Type>Receiver</Type><Code>InternalError</Code><Message>stand-in failure</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
        );
        return;
      }
      if (form.get("Action") !== "Publish") {
        res.statusCode = 400;
        res.end(
          `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>only Publish</Message></Error></ErrorResponse>`,
        );
        return;
      }
      const messageId = randomUUID();
      published.push({
        topicArn: form.get("TopicArn") ?? "",
        subject: form.get("Subject") ?? undefined,
        message: form.get("Message") ?? "",
      });
      res.end(
        `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    published,
    failNext(n) {
      failures = n;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
