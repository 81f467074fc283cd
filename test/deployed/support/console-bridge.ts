/**
 * The console as an editor's browser reaches it deployed, for the deployed-shape run: one local HTTP
 * server stands in for the CloudFront distribution, routing by the template's own behaviours —
 *
 *   default      the console's files as the template's BucketDeployment uploads them (the staged
 *                assets of the cloud assembly, console-config.json's deploy-time values resolved
 *                by local-resources.ts), with the response headers policy the behaviour names
 *                (its CSP included);
 *   charts/*     the charts bucket (s3rver), with the charts' headers policy;
 *   api/*        the bundled API function, each request turned into API Gateway's payload-2.0 event
 *                by editors-client.ts (the same mapping, origin header and figures as the API tests).
 *
 * API Gateway's Cognito JWT authorizer is not emulated: the bridge stands in for it. It accepts only
 * the ID tokens its sign-in stand-in issued (anything else: 401, the function never invoked) and
 * passes their claims, as the authorizer passes a verified token's. The sign-in stand-in plays
 * Cognito's hosted UI on a second port (its own origin, as Cognito's domain is): /oauth2/authorize
 * signs in the person given to `signInAs` and redirects back with a code; /oauth2/token redeems it
 * against the PKCE verifier (S256), so console/sign-in.js runs its deployed flow unchanged.
 *
 * The raw bucket's CORS rule is the template's (applied to s3rver), so the browser's PUT to the
 * presigned address is let through only if the deployed rule would let it through.
 */
import { createHash, randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, relative } from "node:path";
import { type CORSRule, GetObjectCommand, PutBucketCorsCommand } from "@aws-sdk/client-s3";
import { createS3Client } from "../../../functions/adapters/aws-clients.js";
import { bearerToken } from "../../../functions/api/auth.js";
import { LOCAL_CREDENTIALS } from "../../../local/emulators.js";
import type { DeployedStack } from "./deployed-stack.js";
import { type Claims, EditorsClient, type GatewayRequest } from "./editors-client.js";
import { CHARTS_DOMAIN, REGION } from "./local-resources.js";

type Resource = { Type: string; Properties: Record<string, unknown> };
type Ref = { Ref: string };
type GetAtt = { "Fn::GetAtt": [string, string] };

interface Behavior {
  PathPattern?: string;
  AllowedMethods: string[];
  TargetOriginId: string;
  ResponseHeadersPolicyId?: Ref | string;
}
interface Origin {
  Id: string;
  DomainName: GetAtt | string;
  S3OriginConfig?: unknown;
  CustomOriginConfig?: unknown;
}
interface HeadersPolicy {
  ResponseHeadersPolicyConfig: {
    SecurityHeadersConfig?: {
      ContentSecurityPolicy?: { ContentSecurityPolicy: unknown };
      ContentTypeOptions?: unknown;
      FrameOptions?: { FrameOption: string };
      ReferrerPolicy?: { ReferrerPolicy: string };
      StrictTransportSecurity?: { AccessControlMaxAgeSec: number; IncludeSubdomains?: boolean };
    };
    CorsConfig?: { AccessControlAllowOrigins: { Items: string[] } };
  };
}

/** A behaviour of the distribution, resolved: where its requests go and the headers added to answers. */
interface Route {
  pattern: RegExp;
  methods: Set<string>;
  origin: "console" | "charts" | "api";
  headers: Record<string, string>;
  /** The headers policy's CORS origins (charts: "*"). */
  corsOrigins: string[];
}

export interface ConsoleBridge {
  /** The console's address (the distribution's, here): http://127.0.0.1:<port>/ */
  url: string;
  origin: string;
  /** The hosted sign-in stand-in's origin (the Cognito domain's, here). */
  signInOrigin: string;
  /** The console's requests to the API function, per route (as EditorsClient counts them). */
  client: EditorsClient;
  /** The Content-Security-Policy the console is served with (the template's, mapped). */
  csp: string;
  /** Who signs in at the hosted UI from now on (default: nobody; the sign-in page answers 401). */
  signInAs(claims: Claims | undefined): void;
  /** Requests the authorizer stand-in refused (no token it issued): they never reached the function. */
  refused: number;
  stop(): Promise<void>;
}

const MIME: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".txt": "text/plain",
};

const base64url = (b: Buffer) => b.toString("base64url");

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** CloudFront's path pattern (`*` any characters, `?` one), on the path without its leading slash. */
function patternOf(glob: string | undefined): RegExp {
  if (!glob) return /^/;
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`);
}

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Text media go to the function as text, the rest base64-encoded, as API Gateway passes bodies. */
function gatewayBody(
  bytes: Buffer,
  contentType: string | undefined,
): Pick<GatewayRequest, "body" | "isBase64Encoded"> {
  if (bytes.length === 0) return {};
  const text = /^(text\/|application\/(json|x-www-form-urlencoded|xml))/i.test(contentType ?? "");
  return text
    ? { body: bytes.toString("utf8"), isBase64Encoded: false }
    : { body: bytes.toString("base64"), isBase64Encoded: true };
}

export async function startConsoleBridge(stack: DeployedStack): Promise<ConsoleBridge> {
  const { template, outdir } = stack.synth;
  const resources = template.Resources as Record<string, Resource>;
  const { local } = stack;
  const only = (type: string) => {
    const ids = Object.keys(resources).filter((id) => resources[id]?.Type === type);
    if (ids.length !== 1) throw new Error(`expected one ${type} in the template, found ${ids.length}`);
    return ids[0] as string;
  };
  const fn = stack.functions.api;
  const proxy = stack.proxies.api;
  if (!fn || !proxy) throw new Error("no api function in the template");

  const server = createServer();
  const signInServer = createServer();
  const origin = await listen(server);
  const signInOrigin = await listen(signInServer);

  // The mappings this bridge adds to local-resources.ts's (listed there): the distribution is this
  // server, Cognito's domain the sign-in stand-in, and the regional S3 names the endpoint the API's
  // presigned URLs point at (its recording proxy, so the browser's PUT is recorded as the API's call).
  const cognitoOrigin = `https://${local.resolve({ Ref: only("AWS::Cognito::UserPoolDomain") })}.auth.${REGION}.amazoncognito.com`;
  const s3Origins = `https://*.s3.${REGION}.amazonaws.com`;
  const mapped = (text: string) =>
    text
      .replaceAll(`https://${CHARTS_DOMAIN}`, origin)
      .replaceAll(cognitoOrigin, signInOrigin)
      .replaceAll(s3Origins, new URL(proxy.endpoint).origin);

  // The distribution's behaviours, in CloudFront's order: the path patterns first, then the default.
  const distribution = resources[only("AWS::CloudFront::Distribution")]?.Properties.DistributionConfig as {
    DefaultCacheBehavior: Behavior;
    CacheBehaviors: Behavior[];
    Origins: Origin[];
    DefaultRootObject: string;
  };
  const consoleDeployment = Object.values(resources).find(
    (r) =>
      r.Type === "Custom::CDKBucketDeployment" &&
      (r.Properties.DestinationBucketName as Ref | undefined)?.Ref?.startsWith("ChartsConsoleBucket"),
  );
  if (!consoleDeployment) throw new Error("no deployment of the console in the template");
  const consoleBucketId = (consoleDeployment.Properties.DestinationBucketName as Ref).Ref;
  const originKind = (id: string): Route["origin"] => {
    const o = distribution.Origins.find((x) => x.Id === id);
    if (!o) throw new Error(`no origin ${id}`);
    if (o.CustomOriginConfig) return "api";
    const bucket = (o.DomainName as GetAtt)["Fn::GetAtt"]?.[0];
    if (bucket === local.chartsBucketId) return "charts";
    if (bucket === consoleBucketId) return "console";
    throw new Error(`origin ${id} is neither the console, the charts bucket nor the API`);
  };
  let csp = "";
  const headersOf = (policyId: Behavior["ResponseHeadersPolicyId"]) => {
    const headers: Record<string, string> = {};
    const id = typeof policyId === "object" ? policyId.Ref : undefined;
    const policy = id ? (resources[id]?.Properties as unknown as HeadersPolicy) : undefined;
    const sec = policy?.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    if (sec?.ContentSecurityPolicy) {
      csp = mapped(String(local.resolve(sec.ContentSecurityPolicy.ContentSecurityPolicy)));
      headers["content-security-policy"] = csp;
    }
    if (sec?.ContentTypeOptions) headers["x-content-type-options"] = "nosniff";
    if (sec?.FrameOptions) headers["x-frame-options"] = sec.FrameOptions.FrameOption;
    if (sec?.ReferrerPolicy) headers["referrer-policy"] = sec.ReferrerPolicy.ReferrerPolicy;
    if (sec?.StrictTransportSecurity)
      headers["strict-transport-security"] =
        `max-age=${sec.StrictTransportSecurity.AccessControlMaxAgeSec}${sec.StrictTransportSecurity.IncludeSubdomains ? "; includeSubDomains" : ""}`;
    return {
      headers,
      corsOrigins: policy?.ResponseHeadersPolicyConfig.CorsConfig?.AccessControlAllowOrigins.Items ?? [],
    };
  };
  const routes: Route[] = [...distribution.CacheBehaviors, distribution.DefaultCacheBehavior].map((b) => ({
    pattern: patternOf(b.PathPattern),
    methods: new Set(b.AllowedMethods),
    origin: originKind(b.TargetOriginId),
    ...headersOf(b.ResponseHeadersPolicyId),
  }));

  // The console bucket's objects: each source of the deployment (a staged asset folder), with its
  // deploy-time markers replaced as the deployment's handler replaces them.
  const consoleFiles = new Map<string, Buffer>();
  const p = consoleDeployment.Properties as {
    SourceObjectKeys: string[];
    SourceMarkers: Array<Record<string, unknown>>;
    SourceMarkersConfig?: Array<{ jsonEscape?: boolean }>;
    SystemMetadata?: Record<string, string>;
  };
  p.SourceObjectKeys.forEach((key, i) => {
    const dir = join(outdir, `asset.${key.replace(/\.zip$/, "")}`);
    const markers = Object.entries(p.SourceMarkers[i] ?? {});
    const jsonEscape = p.SourceMarkersConfig?.[i]?.jsonEscape === true;
    for (const file of files(dir)) {
      let bytes = readFileSync(file);
      if (markers.length > 0) {
        let text = bytes.toString("utf8");
        for (const [marker, value] of markers) {
          const v = String(local.resolve(value));
          text = text.replaceAll(marker, jsonEscape ? JSON.stringify(v).slice(1, -1) : v);
        }
        bytes = Buffer.from(mapped(text), "utf8");
      }
      consoleFiles.set(relative(dir, file).split("\\").join("/"), bytes);
    }
  });
  const cacheControl = p.SystemMetadata?.["cache-control"];

  // The raw bucket's CORS rules, as the template sets them (replacing the emulators' any-origin rule).
  const s3 = createS3Client({
    endpoint: stack.emulators.s3Endpoint,
    region: REGION,
    credentials: { ...LOCAL_CREDENTIALS },
  });
  const rawCors = (
    resources[local.rawBucketId]?.Properties.CorsConfiguration as { CorsRules: unknown[] } | undefined
  )?.CorsRules;
  if (!rawCors?.length) throw new Error("the raw bucket has no CORS rule: a browser could not PUT an upload");
  const corsRules = (rawCors as Array<Record<string, unknown>>).map(
    (r): CORSRule => ({
      AllowedMethods: r.AllowedMethods as string[],
      AllowedOrigins: (local.resolve(r.AllowedOrigins) as string[]).map(mapped),
      AllowedHeaders: r.AllowedHeaders as string[],
      ...(r.MaxAge !== undefined ? { MaxAgeSeconds: Number(r.MaxAge) } : {}),
    }),
  );
  await s3.send(
    new PutBucketCorsCommand({ Bucket: local.names.rawBucket, CORSConfiguration: { CORSRules: corsRules } }),
  );

  const client = new EditorsClient(fn, proxy);
  /** ID tokens the sign-in stand-in issued, and whose they are (what the authorizer would verify). */
  const tokens = new Map<string, Claims>();
  const codes = new Map<string, { challenge: string; redirectUri: string; claims: Claims }>();
  let signedIn: Claims | undefined;
  const bridge: ConsoleBridge = {
    url: `${origin}/`,
    origin,
    signInOrigin,
    client,
    csp,
    refused: 0,
    signInAs: (claims) => {
      signedIn = claims;
    },
    stop: async () => {
      s3.destroy();
      await Promise.all([close(server), close(signInServer)]);
    },
  };

  const send = (
    res: ServerResponse,
    status: number,
    headers: Record<string, string>,
    body?: Buffer | string,
  ) => {
    res.writeHead(status, headers);
    res.end(body);
  };

  server.on("request", async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const url = new URL(req.url ?? "/", origin);
      const method = req.method ?? "GET";
      const path = url.pathname.replace(/^\//, "");
      const route = routes.find((r) => r.pattern.test(path)) as Route;
      if (!route.methods.has(method))
        return send(res, 403, { "content-type": "text/plain" }, "method not allowed");
      const body = await bodyOf(req);
      if (route.origin === "console") {
        const key = path === "" ? distribution.DefaultRootObject : decodeURIComponent(path);
        const file = consoleFiles.get(key);
        // Through origin access control without s3:ListBucket, S3 answers a missing key 403.
        if (!file)
          return send(
            res,
            403,
            { ...route.headers, "content-type": "application/xml" },
            "<Error><Code>AccessDenied</Code></Error>",
          );
        return send(
          res,
          200,
          {
            ...route.headers,
            "content-type": MIME[extname(key)] ?? "application/octet-stream",
            ...(cacheControl ? { "cache-control": cacheControl } : {}),
          },
          method === "HEAD" ? undefined : file,
        );
      }
      if (route.origin === "charts") {
        const cors: Record<string, string> =
          req.headers.origin && route.corsOrigins.includes("*") ? { "access-control-allow-origin": "*" } : {};
        try {
          const got = await s3.send(
            new GetObjectCommand({ Bucket: local.names.chartsBucket, Key: decodeURIComponent(path) }),
          );
          const bytes = Buffer.from((await got.Body?.transformToByteArray()) ?? []);
          return send(
            res,
            200,
            {
              ...route.headers,
              ...cors,
              "content-type": got.ContentType ?? "application/octet-stream",
              ...(got.CacheControl ? { "cache-control": got.CacheControl } : {}),
            },
            method === "HEAD" ? undefined : bytes,
          );
        } catch {
          return send(
            res,
            403,
            { ...route.headers, ...cors, "content-type": "application/xml" },
            "<Error><Code>AccessDenied</Code></Error>",
          );
        }
      }
      // api/*: the authorizer stand-in, then the function with API Gateway's event.
      const claims = tokens.get(bearerToken(req.headers.authorization) ?? "");
      if (!claims) {
        bridge.refused++;
        return send(
          res,
          401,
          { ...route.headers, "content-type": "application/json" },
          '{"message":"Unauthorized"}',
        );
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
      const { result } = await client.send({
        method,
        path: url.pathname,
        rawQueryString: url.search.replace(/^\?/, ""),
        headers,
        ...gatewayBody(body, req.headers["content-type"]),
        claims,
      });
      return send(
        res,
        result.statusCode,
        { ...result.headers, ...route.headers },
        Buffer.from(result.body ?? "", result.isBase64Encoded ? "base64" : "utf8"),
      );
    } catch (err) {
      // What API Gateway answers when the integration fails.
      send(
        res,
        500,
        { "content-type": "application/json" },
        JSON.stringify({ message: "Internal Server Error", detail: String(err) }),
      );
    }
  });

  // Cognito's hosted UI and token endpoint, as far as the console's authorization-code + PKCE flow uses them.
  signInServer.on("request", async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", signInOrigin);
    const cors = { "access-control-allow-origin": origin };
    if (url.pathname === "/oauth2/authorize") {
      const q = url.searchParams;
      if (!signedIn) return send(res, 401, { "content-type": "text/plain" }, "nobody signs in here");
      if (q.get("response_type") !== "code" || q.get("code_challenge_method") !== "S256")
        return send(res, 400, { "content-type": "text/plain" }, "authorization code with S256 PKCE only");
      const code = base64url(randomBytes(18));
      const redirectUri = q.get("redirect_uri") ?? "";
      codes.set(code, { challenge: q.get("code_challenge") ?? "", redirectUri, claims: signedIn });
      const back = new URL(redirectUri);
      back.searchParams.set("code", code);
      back.searchParams.set("state", q.get("state") ?? "");
      return send(res, 302, { location: back.toString() });
    }
    if (url.pathname === "/oauth2/token" && req.method === "POST") {
      const form = new URLSearchParams((await bodyOf(req)).toString("utf8"));
      const grant = codes.get(form.get("code") ?? "");
      codes.delete(form.get("code") ?? "");
      const verifier = form.get("code_verifier") ?? "";
      const challenge = base64url(createHash("sha256").update(verifier).digest());
      if (
        form.get("grant_type") !== "authorization_code" ||
        !grant ||
        grant.challenge !== challenge ||
        grant.redirectUri !== form.get("redirect_uri")
      )
        return send(res, 400, { ...cors, "content-type": "application/json" }, '{"error":"invalid_grant"}');
      const idToken = `id-${base64url(randomBytes(24))}`;
      tokens.set(idToken, grant.claims);
      return send(
        res,
        200,
        { ...cors, "content-type": "application/json" },
        JSON.stringify({ id_token: idToken, access_token: idToken, token_type: "Bearer", expires_in: 3600 }),
      );
    }
    send(res, 404, { "content-type": "text/plain" }, "not found");
  });

  bridge.csp = csp;
  return bridge;
}
