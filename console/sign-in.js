// Deployed sign-in for the console: Cognito's hosted UI with the OAuth authorization-code flow and
// PKCE (RFC 7636), and token refresh. No token ever travels in an address: the hosted UI returns a
// one-time `?code=`, which only this tab can redeem (it alone holds the code verifier). Tokens are
// kept in sessionStorage (this tab only) and the ID token is refreshed a minute before it expires,
// so editors sign in once per browser session (the refresh token lasts 7 days), not every hour.
//
// Config (console-config.json, written at deploy time): authDomain (https://<prefix>.auth.<region>
// .amazoncognito.com), clientId, redirectUri (the console's URL), scopes.

const KEY = "gacc-sign-in";
const VERIFIER_KEY = "gacc-sign-in-verifier";
const STATE_KEY = "gacc-sign-in-state";
const EARLY_MS = 60_000;

function base64url(bytes) {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomText(bytes = 32) {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** The S256 code challenge of a verifier. */
export async function codeChallenge(verifier) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** Whether this deployment signs in through Cognito (locally, editors paste a token instead). */
export function usesHostedSignIn(config) {
  return Boolean(config?.authDomain && config?.clientId && config?.redirectUri);
}

/** Sends the browser to the hosted UI with a fresh PKCE verifier and state. */
export async function startSignIn(config, storage = sessionStorage, go = (url) => location.assign(url)) {
  const verifier = randomText(48);
  const state = randomText(16);
  storage.setItem(VERIFIER_KEY, verifier);
  storage.setItem(STATE_KEY, state);
  const url = new URL("/oauth2/authorize", config.authDomain);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: (config.scopes ?? ["openid", "email", "profile"]).join(" "),
    state,
    code_challenge_method: "S256",
    code_challenge: await codeChallenge(verifier),
  }).toString();
  go(url.toString());
}

async function tokenRequest(config, params, fetchImpl) {
  const res = await fetchImpl(new URL("/oauth2/token", config.authDomain).toString(), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: config.clientId, ...params }).toString(),
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok || !body.id_token) {
    throw new Error(`Sign-in failed (${body.error ?? `HTTP ${res.status}`}). Sign in again.`);
  }
  return body;
}

function keep(storage, body, previousRefresh, now) {
  const session = {
    idToken: body.id_token,
    refreshToken: body.refresh_token ?? previousRefresh,
    expiresAt: now + Number(body.expires_in ?? 3600) * 1000,
  };
  storage.setItem(KEY, JSON.stringify(session));
  return session;
}

/**
 * After the hosted UI comes back with `?code=...&state=...`: checks the state, redeems the code
 * with the verifier, keeps the tokens and removes the code from the address. Returns whether it did.
 */
export async function completeSignIn(config, env = {}) {
  const storage = env.storage ?? sessionStorage;
  const loc = env.location ?? location;
  const fetchImpl = env.fetch ?? fetch;
  const now = env.now ?? Date.now;
  const params = new URLSearchParams(loc.search);
  const code = params.get("code");
  if (!code) return false;
  const verifier = storage.getItem(VERIFIER_KEY);
  const expected = storage.getItem(STATE_KEY);
  storage.removeItem(VERIFIER_KEY);
  storage.removeItem(STATE_KEY);
  (env.replaceUrl ?? ((u) => history.replaceState(null, "", u)))(config.redirectUri);
  if (!verifier || !expected || params.get("state") !== expected) {
    throw new Error("This sign-in did not start in this tab (or was already used). Sign in again.");
  }
  const body = await tokenRequest(
    config,
    { grant_type: "authorization_code", code, redirect_uri: config.redirectUri, code_verifier: verifier },
    fetchImpl,
  );
  keep(storage, body, undefined, now());
  return true;
}

/** The ID token to send, refreshed when it is about to expire; undefined when signed out. */
export async function currentIdToken(config, env = {}) {
  const storage = env.storage ?? sessionStorage;
  const now = (env.now ?? Date.now)();
  let session;
  try {
    session = JSON.parse(storage.getItem(KEY) ?? "null");
  } catch {
    session = null;
  }
  if (!session?.idToken) return undefined;
  if (session.expiresAt - EARLY_MS > now) return session.idToken;
  if (!session.refreshToken) {
    storage.removeItem(KEY);
    return undefined;
  }
  try {
    const body = await tokenRequest(
      config,
      { grant_type: "refresh_token", refresh_token: session.refreshToken },
      env.fetch ?? fetch,
    );
    return keep(storage, body, session.refreshToken, now).idToken;
  } catch {
    storage.removeItem(KEY);
    return undefined;
  }
}

export function signOut(storage = sessionStorage) {
  storage.removeItem(KEY);
}
