/**
 * The console's deployed sign-in (console/sign-in.js): authorization code with PKCE (S256) and state,
 * then token refresh, against a real HTTP token endpoint on loopback standing in for Cognito's.
 */
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error plain browser JavaScript, no types
import * as signIn from "../../console/sign-in.js";

class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem(k: string) {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.items.set(k, v);
  }
  removeItem(k: string) {
    this.items.delete(k);
  }
}

let server: Server;
let config: { authDomain: string; clientId: string; redirectUri: string };
const requests: URLSearchParams[] = [];
let issued = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      const form = new URLSearchParams(body);
      requests.push(form);
      res.setHeader("content-type", "application/json");
      if (req.url !== "/oauth2/token" || form.get("client_id") !== "client-1") {
        res.statusCode = 400;
        res.end(JSON.stringify({ error: "invalid_client" }));
        return;
      }
      issued++;
      const refresh = form.get("grant_type") === "authorization_code" ? { refresh_token: "refresh-1" } : {};
      res.end(JSON.stringify({ id_token: `id-${issued}`, expires_in: 3600, ...refresh }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  config = {
    authDomain: `http://127.0.0.1:${port}`,
    clientId: "client-1",
    redirectUri: "https://console.test/",
  };
});
afterAll(() => new Promise((r) => server.close(r)));

describe("console sign-in: authorization code + PKCE, then refresh", () => {
  it("sends an S256 challenge and state, redeems the code with the verifier, and refreshes an hour later", async () => {
    const storage = new MemoryStorage();
    let went = "";
    await signIn.startSignIn(config, storage, (url: string) => {
      went = url;
    });
    const authorize = new URL(went);
    expect(authorize.pathname).toBe("/oauth2/authorize");
    expect(authorize.searchParams.get("response_type")).toBe("code");
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    const verifier = storage.getItem("gacc-sign-in-verifier") ?? "";
    expect(verifier.length).toBeGreaterThanOrEqual(43);
    expect(authorize.searchParams.get("code_challenge")).toBe(
      createHash("sha256").update(verifier).digest("base64url"),
    );
    const state = authorize.searchParams.get("state");

    let replaced = "";
    const t0 = Date.parse("2026-11-30T10:00:00Z");
    const env = {
      storage,
      location: { search: `?code=abc&state=${state}` },
      replaceUrl: (u: string) => {
        replaced = u;
      },
      now: () => t0,
    };
    expect(await signIn.completeSignIn(config, env)).toBe(true);
    expect(replaced).toBe(config.redirectUri);
    const redeem = requests.at(-1);
    expect(redeem?.get("grant_type")).toBe("authorization_code");
    expect(redeem?.get("code")).toBe("abc");
    expect(redeem?.get("code_verifier")).toBe(verifier);
    expect(await signIn.currentIdToken(config, { storage, now: () => t0 + 30 * 60_000 })).toBe("id-1");
    // A minute before expiry the refresh token gets a new ID token; no second sign-in.
    expect(await signIn.currentIdToken(config, { storage, now: () => t0 + 59.5 * 60_000 })).toBe("id-2");
    expect(requests.at(-1)?.get("grant_type")).toBe("refresh_token");
    expect(requests.at(-1)?.get("refresh_token")).toBe("refresh-1");
    // The code cannot be redeemed twice from this tab (verifier and state are gone).
    await expect(signIn.completeSignIn(config, env)).rejects.toThrow(/did not start in this tab/);
  });

  it("refuses a code whose state this tab did not issue", async () => {
    const storage = new MemoryStorage();
    await signIn.startSignIn(config, storage, () => {});
    const env = { storage, location: { search: "?code=abc&state=forged" }, replaceUrl: () => {} };
    const before = requests.length;
    await expect(signIn.completeSignIn(config, env)).rejects.toThrow(/did not start in this tab/);
    expect(requests.length).toBe(before);
    expect(await signIn.currentIdToken(config, { storage })).toBeUndefined();
  });
});
