/**
 * Fetches pages from GACC (or a mirror) with the guards a scraper needs: a host allowlist checked on
 * every redirect, a timeout, a size cap, bounded retries with backoff for transient trouble, and
 * recognition of anti-bot challenge pages. Every failure is a typed error an editor can read.
 */
import { UpstreamRefused, UpstreamUnavailable } from "../domain/errors.js";
import { formatBytes } from "../domain/numbers.js";
import type { PageLimits, PageSource } from "../domain/ports.js";
import { FetchAllowlist, parseFetchUrl, type Resolver, systemResolver } from "./fetch-allowlist.js";

export interface HttpPolicy {
  /** Hosts or origins the fetcher may contact (see fetch-allowlist.ts for the entry forms). */
  allowedHosts: string[];
  /** How host names are resolved for the internal-address check (the system's resolver by default). */
  resolve: Resolver;
  timeoutMs: number;
  maxBytes: number;
  /** Attempts in all, including the first. */
  attempts: number;
  backoffMs: number;
  maxRedirects: number;
  userAgent: string;
}

/** An attempt with less time than this is not started: a page rarely arrives in under a second. */
export const MIN_ATTEMPT_MS = 1_000;

export const DEFAULT_HTTP_POLICY: HttpPolicy = {
  allowedHosts: ["english.customs.gov.cn"],
  resolve: systemResolver,
  timeoutMs: 20_000,
  maxBytes: 5 * 1024 * 1024,
  attempts: 3,
  backoffMs: 500,
  maxRedirects: 3,
  userAgent: "gacc-trade-charts/0.1 (newsroom data pipeline)",
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Anti-bot interstitials GACC's CDN serves with 200 or 412: never archive them as a release. */
function looksLikeChallenge(status: number, body: string): boolean {
  if (status === 412) return true;
  return /<script[^>]*>[^<]*(\$_ts|challenge|captcha)/i.test(body.slice(0, 4096)) && !/<table/i.test(body);
}

async function readCapped(
  res: Response,
  maxBytes: number,
  url: string,
  deadline: AbortSignal,
): Promise<Uint8Array> {
  const declared = Number(res.headers.get("content-length") ?? "0");
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new UpstreamRefused(
      `The page at ${url} is ${formatBytes(declared)}, over the ${formatBytes(maxBytes)} limit`,
      url,
    );
  }
  if (!res.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  try {
    for (;;) {
      if (deadline.aborted) throw deadline.reason;
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        throw new UpstreamRefused(
          `The page at ${url} is over the ${formatBytes(maxBytes)} limit; download stopped`,
          url,
        );
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks);
}

export class HttpPageSource implements PageSource {
  private readonly policy: HttpPolicy;
  private readonly allowlist: FetchAllowlist;

  constructor(policy: Partial<HttpPolicy> = {}) {
    this.policy = { ...DEFAULT_HTTP_POLICY, ...policy };
    this.allowlist = new FetchAllowlist(this.policy.allowedHosts, this.policy.resolve);
  }

  /**
   * With `limits.deadline` (the caller's time budget), each attempt's timeout is the smaller of the policy's
   * and the time left, and no attempt or backoff starts that could not finish in time.
   */
  async get(
    url: string,
    limits: PageLimits = {},
  ): Promise<{ bytes: Uint8Array; contentType: string; url: string }> {
    let lastError: unknown;
    const left = () =>
      limits.deadline === undefined ? Number.POSITIVE_INFINITY : limits.deadline - Date.now();
    for (let attempt = 1; attempt <= this.policy.attempts; attempt++) {
      const timeLeft = left();
      const timeoutMs = Math.min(this.policy.timeoutMs, timeLeft);
      // Only the budget can refuse an attempt; a short policy timeout (tests, FETCH_TIMEOUT_MS) is kept.
      if (timeLeft < MIN_ATTEMPT_MS) {
        throw (
          lastError ??
          new UpstreamUnavailable(`No time left in this run to download ${url}; the next run will`, url)
        );
      }
      try {
        return await this.getOnce(url, timeoutMs);
      } catch (err) {
        lastError = err;
        const retryable = err instanceof UpstreamUnavailable && err.status !== 404;
        if (!retryable || attempt === this.policy.attempts) throw err;
        // Exponential backoff with full jitter: polite to GACC, robust to brief outages.
        const pause = Math.random() * this.policy.backoffMs * 2 ** (attempt - 1);
        if (left() - pause < MIN_ATTEMPT_MS) throw err;
        await sleep(pause);
      }
    }
    throw lastError;
  }

  private async getOnce(
    startUrl: string,
    timeoutMs: number,
  ): Promise<{ bytes: Uint8Array; contentType: string; url: string }> {
    let url = parseFetchUrl(startUrl).toString();
    const deadline = AbortSignal.timeout(timeoutMs);
    for (let hop = 0; hop <= this.policy.maxRedirects; hop++) {
      // Every hop: scheme, host and port on the allowlist, and the host not on an internal address.
      await this.allowlist.check(new URL(url));
      let res: Response;
      try {
        res = await fetch(url, {
          redirect: "manual",
          signal: deadline,
          headers: { "user-agent": this.policy.userAgent, accept: "text/html,*/*" },
        });
      } catch (err) {
        const timedOut = deadline.aborted;
        throw new UpstreamUnavailable(
          timedOut
            ? `GACC did not answer within ${timeoutMs / 1000} s for ${url}; it will be tried again later`
            : `Could not reach ${url} (${(err as Error).message}); it will be tried again later`,
          url,
          undefined,
          { cause: err },
        );
      }
      if (res.status >= 300 && res.status < 400) {
        const location = res.headers.get("location");
        await res.body?.cancel();
        if (!location) throw new UpstreamUnavailable(`${url} redirected without a location`, url, res.status);
        url = parseFetchUrl(location, url).toString();
        continue;
      }
      let bytes: Uint8Array;
      try {
        bytes = await readCapped(res, this.policy.maxBytes, url, deadline);
      } catch (err) {
        if (err instanceof UpstreamRefused) throw err;
        throw new UpstreamUnavailable(
          `The download of ${url} stalled or timed out after ${timeoutMs / 1000} s; it will be tried again later`,
          url,
          res.status,
          { cause: err },
        );
      }
      const head = Buffer.from(bytes.subarray(0, 4096)).toString("latin1");
      if (looksLikeChallenge(res.status, head)) {
        throw new UpstreamRefused(
          `GACC answered ${url} with an anti-bot challenge page (HTTP ${res.status}), not the release; nothing was archived. Try again later or fetch the page by hand`,
          url,
          res.status,
        );
      }
      if (res.status === 404) throw new UpstreamUnavailable(`${url} does not exist (HTTP 404)`, url, 404);
      if (res.status >= 400) {
        throw new UpstreamUnavailable(
          `GACC answered ${url} with HTTP ${res.status}; it will be tried again later`,
          url,
          res.status,
        );
      }
      if (bytes.byteLength === 0) {
        throw new UpstreamUnavailable(
          `GACC answered ${url} with an empty page; it will be tried again later`,
          url,
          res.status,
        );
      }
      return { bytes, contentType: res.headers.get("content-type") ?? "text/html", url };
    }
    throw new UpstreamRefused(`${startUrl} redirected more than ${this.policy.maxRedirects} times`, startUrl);
  }
}
