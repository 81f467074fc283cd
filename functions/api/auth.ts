/**
 * Who is calling. Deployed, API Gateway's JWT authorizer has already verified a Cognito token and
 * passes its claims; membership of the `editors` group (claim `cognito:groups`) allows writes.
 * Locally, one bearer token (EDITOR_TOKEN, or generated and printed by `npm start`) stands for the
 * local editor.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { Identity } from "./http.js";

export const EDITOR_GROUP = "editors";

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

export function bearerToken(authorization: string | undefined): string | undefined {
  const m = /^\s*Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  return m?.[1];
}

/** A local editor token shorter than this, or with fewer distinct characters, is refused. The
 * generated one is 32 random base64url characters (192 bits). */
export const MIN_TOKEN_LENGTH = 24;
export const MIN_TOKEN_DISTINCT_CHARS = 10;

/**
 * Why a local editor token (EDITOR_TOKEN) is too weak to guard the API, or undefined when it is
 * strong enough: anyone who can reach the port can try tokens, and one token lets them publish.
 */
export function weakTokenReason(token: string): string | undefined {
  if (/\s/.test(token)) return "it contains white space, which a `Bearer` header cannot carry";
  if (token.length < MIN_TOKEN_LENGTH)
    return `it is ${token.length} characters long; use at least ${MIN_TOKEN_LENGTH}`;
  if (new Set(token).size < MIN_TOKEN_DISTINCT_CHARS)
    return `it repeats a few characters (${new Set(token).size} distinct); use at least ${MIN_TOKEN_DISTINCT_CHARS} different ones`;
  return undefined;
}

/** The local editor when the bearer token matches (compared in constant time). */
export function localTokenIdentity(
  authorization: string | undefined,
  expectedToken: string,
  name = "local editor",
): { identity?: Identity; problem?: string } {
  const token = bearerToken(authorization);
  if (token === undefined) {
    return authorization ? { problem: "The Authorization header is not of the form `Bearer <token>`." } : {};
  }
  if (!timingSafeEqual(digest(token), digest(expectedToken))) {
    return {
      problem: "The editor token sent is not this server's (it changes each time `npm start` generates one).",
    };
  }
  return { identity: { id: "local", name, groups: [EDITOR_GROUP], via: "local-token" } };
}

/** API Gateway flattens list claims to text: "[editors admins]", "editors", or a JSON array. */
export function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim !== "string" || claim.trim() === "") return [];
  const text = claim.trim();
  if (text.startsWith("[") && text.includes('"')) {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // fall through to the bracketed list form
    }
  }
  return text
    .replace(/^\[|\]$/g, "")
    .split(/[\s,]+/)
    .filter((g) => g.length > 0);
}

/** An identity from verified JWT claims (Cognito ID or access token). */
export function cognitoIdentity(claims: Record<string, unknown> | undefined): Identity | undefined {
  if (!claims) return undefined;
  const sub = typeof claims.sub === "string" ? claims.sub : undefined;
  if (!sub) return undefined;
  const name = [claims.email, claims["cognito:username"], claims.username].find(
    (v): v is string => typeof v === "string" && v.length > 0,
  );
  return { id: sub, name: name ?? sub, groups: groupsOf(claims["cognito:groups"]), via: "cognito" };
}
