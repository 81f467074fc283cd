/**
 * Where the fetcher may go: an allowlist of origins (scheme, host and port, the default port made
 * explicit) checked on every hop, and the addresses a host name resolves to. A name that resolves to
 * a loopback, link-local, private or otherwise internal address is refused unless the allowlist
 * names that address itself (the local mirror is configured as `127.0.0.1:<port>`): a poisoned or
 * rebinding DNS answer for `english.customs.gov.cn` must not turn the fetcher against the machine or
 * the cloud's metadata service.
 *
 * Entries: `host` (http on 80 and https on 443, the only ports a bare name allows), `host:port`
 * (http or https on that port) or `scheme://host[:port]` (exactly that origin).
 */
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { UpstreamRefused, UpstreamUnavailable } from "../domain/errors.js";

export interface AllowedOrigin {
  scheme: "http" | "https";
  /** Lower case, IPv6 without brackets. */
  hostname: string;
  port: number;
}

/** Resolves a host name to every address it has (injectable for tests of what DNS answers). */
export type Resolver = (hostname: string) => Promise<string[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

const DEFAULT_PORT = { http: 80, https: 443 } as const;

/** Addresses no public web site lives at (RFC 6890 special-purpose blocks that matter here). */
const INTERNAL = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, cloud metadata (169.254.169.254)
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  INTERNAL.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["ff00::", 8], // multicast
] as const) {
  INTERNAL.addSubnet(net, prefix, "ipv6");
}

/** Whether an IP address is loopback, link-local, private or otherwise not on the public internet. */
export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return INTERNAL.check(address, "ipv4");
  if (family !== 6) return true; // not an address at all: never treat it as public
  const lower = address.toLowerCase();
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 address: judge that one.
  const embedded = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower)?.[1];
  if (embedded) return INTERNAL.check(embedded, "ipv4");
  const mappedHex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (mappedHex) {
    const n = (Number.parseInt(mappedHex[1] ?? "0", 16) << 16) | Number.parseInt(mappedHex[2] ?? "0", 16);
    return INTERNAL.check([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join("."), "ipv4");
  }
  return INTERNAL.check(address, "ipv6");
}

function bare(hostname: string): string {
  return hostname.toLowerCase().replace(/^\[|\]$/g, "");
}

/** One allowlist entry → the origins it allows. Throws on an entry that is not a host or origin. */
export function parseAllowedEntry(entry: string): AllowedOrigin[] {
  const text = entry.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  let url: URL;
  try {
    url = new URL(withScheme ? text : `http://${text}`);
  } catch {
    throw new Error(`"${entry}" is not a host name, host:port or http(s) origin`);
  }
  const scheme = url.protocol.replace(/:$/, "");
  if (scheme !== "http" && scheme !== "https")
    throw new Error(`"${entry}" is not an http(s) origin (scheme ${scheme})`);
  if (url.username || url.password || (url.pathname !== "/" && url.pathname !== "") || url.search) {
    throw new Error(`"${entry}" must be a bare origin: no user, path or query`);
  }
  const hostname = bare(url.hostname);
  if (withScheme) {
    return [{ scheme, hostname, port: url.port ? Number(url.port) : DEFAULT_PORT[scheme] }];
  }
  // No scheme: a bare name allows the default ports only; a port given applies to both schemes.
  if (url.port) {
    const port = Number(url.port);
    return [
      { scheme: "http", hostname, port },
      { scheme: "https", hostname, port },
    ];
  }
  return [
    { scheme: "http", hostname, port: DEFAULT_PORT.http },
    { scheme: "https", hostname, port: DEFAULT_PORT.https },
  ];
}

function describeOrigin(o: AllowedOrigin): string {
  const host = o.hostname.includes(":") ? `[${o.hostname}]` : o.hostname;
  return `${o.scheme}://${host}:${o.port}`;
}

/** Parses a URL the fetcher was given or redirected to, as a typed refusal when it is not one. */
export function parseFetchUrl(text: string, base?: string): URL {
  try {
    return base === undefined ? new URL(text) : new URL(text, base);
  } catch {
    const shown = text.length > 200 ? `${text.slice(0, 200)}…` : text;
    throw new UpstreamRefused(
      base === undefined
        ? `Refused to fetch "${shown}": it is not a valid URL`
        : `${base} redirected to "${shown}", which is not a valid URL; nothing was fetched from it`,
      base ?? text,
    );
  }
}

export class FetchAllowlist {
  readonly origins: AllowedOrigin[];

  constructor(
    entries: string[],
    private readonly resolve: Resolver = systemResolver,
  ) {
    this.origins = entries.flatMap(parseAllowedEntry);
  }

  /** The origin `url` is on, made explicit (`http://english.customs.gov.cn:80`). */
  static originOf(url: URL): AllowedOrigin | undefined {
    const scheme = url.protocol.replace(/:$/, "");
    if (scheme !== "http" && scheme !== "https") return undefined;
    return { scheme, hostname: bare(url.hostname), port: url.port ? Number(url.port) : DEFAULT_PORT[scheme] };
  }

  /** Whether `url` is on an allowed origin (scheme, host and port), without asking DNS. */
  allows(url: URL): boolean {
    const o = FetchAllowlist.originOf(url);
    return (
      o !== undefined &&
      this.origins.some((a) => a.scheme === o.scheme && a.hostname === o.hostname && a.port === o.port)
    );
  }

  /**
   * Refuses (typed) a URL off the allowlist, or whose host resolves to an internal address that the
   * allowlist does not name itself. Called before every request, redirects included.
   */
  async check(url: URL): Promise<void> {
    const shown = url.toString();
    if (url.username || url.password) {
      throw new UpstreamRefused(
        `Refused to fetch ${shown}: URLs with a user name or password are not fetched`,
        shown,
      );
    }
    const origin = FetchAllowlist.originOf(url);
    if (!origin || !this.allows(url)) {
      throw new UpstreamRefused(
        `Refused to fetch ${shown}: ${origin ? describeOrigin(origin) : url.protocol} is not on the allowlist (${this.origins.map(describeOrigin).join(", ")})`,
        shown,
      );
    }
    // An address written in the allowlist (the local mirror) is what it says; "localhost" too.
    if (isIP(origin.hostname) !== 0 || origin.hostname === "localhost") return;
    let addresses: string[];
    try {
      addresses = await this.resolve(origin.hostname);
    } catch (err) {
      // Not fetched unchecked: the request would resolve the name again, perhaps differently.
      throw new UpstreamUnavailable(
        `Could not resolve ${origin.hostname} for ${shown} (${(err as Error).message}); it will be tried again later`,
        shown,
        undefined,
        { cause: err },
      );
    }
    const internal = addresses.find(isInternalAddress);
    if (internal !== undefined) {
      throw new UpstreamRefused(
        `Refused to fetch ${shown}: ${origin.hostname} resolves to ${internal}, an internal address (loopback, link-local or private). ` +
          "Only a mirror configured by its address (e.g. 127.0.0.1:8080) may be on such an address",
        shown,
      );
    }
  }
}
