/**
 * Deployed, the editors' API is reached through CloudFront only (issue: the default execute-api
 * endpoint stays open beside CloudFront). The template side (endpoint disabled, origin name, the
 * header CloudFront adds) is checked in test/infra; here the handler the template deploys refuses a
 * request that lacks CloudFront's origin header before it reads a token or a body, and serves one
 * that carries it.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "../../functions/adapters/env.js";
import { cameThroughCdn, ORIGIN_VERIFY_HEADER } from "../../functions/api/origin-verify.js";
import { handler } from "../../functions/handlers/api.js";

const SECRET = "Q7wz0c9kLr2VtXb8mN4pA6sD1fG3hJ5kL7zX9cV2bN4mQ8wE";
const SETTINGS: Record<string, string> = {
  ORIGIN_VERIFY: SECRET,
  // Names only: nothing below reaches a store (a refusal comes first, or the router answers 401).
  TABLE_NAME: "unused-table",
  RAW_BUCKET: "unused-raw",
  CHARTS_BUCKET: "unused-charts",
  STATE_MACHINE_ARN: "arn:aws:states:us-east-1:123456789012:stateMachine:unused",
  AWS_REGION: "us-east-1",
};
const saved: Record<string, string | undefined> = {};

beforeAll(() => {
  for (const [k, v] of Object.entries(SETTINGS)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  env.reset();
});
afterAll(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  env.reset();
});

function event(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): APIGatewayProxyEventV2WithJWTAuthorizer {
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: path,
    rawQueryString: "",
    headers,
    body,
    isBase64Encoded: false,
    requestContext: { http: { method, path }, authorizer: undefined },
  } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
}

describe("the editors' API answers only through CloudFront", () => {
  it("refuses a call to the origin name without CloudFront's header: 403, a plain message, nothing read", async () => {
    // 6 MB of body and a forged editor's token: neither is looked at.
    const res = await handler(
      event("POST", "/api/refresh", { authorization: "Bearer forged" }, "x".repeat(6 * 1024 * 1024)),
    );
    expect(res.statusCode).toBe(403);
    const body = JSON.parse(String(res.body)) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("NOT_THROUGH_CDN");
    expect(body.error.message).toMatch(/not the editors' console/);
    expect(String(res.body)).not.toContain(SECRET);
  });

  it("refuses a wrong value, including one that shares the secret's prefix", async () => {
    for (const value of ["", "guess", SECRET.slice(0, -1), `${SECRET}x`, SECRET.toLowerCase()]) {
      const res = await handler(event("GET", "/api/status", { [ORIGIN_VERIFY_HEADER]: value }));
      expect(res.statusCode, JSON.stringify(value)).toBe(403);
    }
  });

  it("lets a request with CloudFront's header through to the routes (which still want a signed-in editor)", async () => {
    for (const name of [ORIGIN_VERIFY_HEADER, "X-Origin-Verify"]) {
      const res = await handler(event("GET", "/api/status", { [name]: SECRET }));
      expect(res.statusCode).toBe(401);
      expect(JSON.parse(String(res.body)).error.code).toBe("UNAUTHENTICATED");
    }
  });

  it("never matches when no value is configured", () => {
    expect(cameThroughCdn({ [ORIGIN_VERIFY_HEADER]: "" }, "")).toBe(false);
    expect(cameThroughCdn(undefined, SECRET)).toBe(false);
    expect(cameThroughCdn({ [ORIGIN_VERIFY_HEADER]: SECRET }, SECRET)).toBe(true);
  });
});
